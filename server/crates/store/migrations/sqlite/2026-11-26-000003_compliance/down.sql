DROP INDEX posts_deleted;
DROP INDEX posts_created;
DROP INDEX post_history_replaced;
ALTER TABLE post_history DROP COLUMN change;
DROP TABLE channel_member_history;
DROP TABLE export_cursors;
DROP TABLE compliance_jobs;
DROP TABLE legal_holds;
DROP TABLE retention_policies;
