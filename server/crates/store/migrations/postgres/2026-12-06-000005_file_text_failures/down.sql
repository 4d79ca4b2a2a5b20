DROP TABLE file_text_failures;
