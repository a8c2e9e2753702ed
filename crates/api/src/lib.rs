//! Kehu's REST API: actix-web handlers over diesel, on SQLite or PostgreSQL.

pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod limits;
pub mod openapi;
pub mod remind;
pub mod repo;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod ui;
pub mod zone;
