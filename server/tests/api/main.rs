//! API integration tests: real servers on SQLite and PostgreSQL, driven
//! through the typed client over HTTP and WebSocket.

mod harness;

mod accounts;
mod chat;
mod realtime;
mod openapi;
