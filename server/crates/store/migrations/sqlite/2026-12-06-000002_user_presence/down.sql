DROP TABLE user_presence;
