DROP TABLE import_map;
