//! `kehu`: the CRM server.

use kehu_api::config::Settings;
use kehu_api::startup::{self, Seed};

const USAGE: &str = "\
kehu — the Kehu CRM server

USAGE:
    kehu serve [--demo]   run the server (migrates the database first);
                          --demo loads the demo organisation into it (idempotent)
    kehu openapi          print the OpenAPI document
    kehu --version

Configuration is by environment variables; see the README.";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["openapi"] => {
            print!("{}", kehu_api::openapi::json());
            0
        }
        ["--version"] | ["-V"] => {
            println!("kehu {}", env!("CARGO_PKG_VERSION"));
            0
        }
        ["serve"] => serve(Seed::None),
        ["serve", "--demo"] => serve(Seed::Demo),
        ["--help"] | ["-h"] | ["help"] => {
            println!("{USAGE}");
            0
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    };
    std::process::exit(code);
}

fn serve(seed: Seed) -> i32 {
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kehu: configuration error: {e}");
            return 2;
        }
    };
    kehu_api::telemetry::init(settings.log_json);
    let result = actix_web::rt::System::new().block_on(async move {
        let app = startup::build(settings, seed).await?;
        tracing::info!(addr = %app.addr, "kehu is listening on http://{}", app.addr);
        app.server.await.map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => {
            tracing::info!("stopped");
            0
        }
        Err(e) => {
            tracing::error!(error = %e, "kehu could not start");
            eprintln!("kehu: {e}");
            1
        }
    }
}
