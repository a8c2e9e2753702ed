//! Structured logs through `tracing`.

use tracing_subscriber::EnvFilter;

/// Logs to stderr, filtered by `KEHU_LOG` (default `info`), as JSON when asked.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_env("KEHU_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // a second init (tests) is harmless; ignore it
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
