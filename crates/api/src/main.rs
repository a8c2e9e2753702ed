//! `kehu`: the CRM server.

use kehu_api::config::Settings;
use kehu_api::startup::{self, Seed};

const USAGE: &str = "\
kehu — the Kehu CRM server

USAGE:
    kehu serve [--demo]   run the server (migrates the database first);
                          --demo loads the demo organisation into it (idempotent)
    kehu seed --customers N
                          fill an empty database with a generated organisation:
                          N customers, 1-5 contacts each (deterministic)
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
        ["seed", "--customers", n] => match n.parse() {
            Ok(n) => seed(n),
            Err(_) => {
                eprintln!("kehu seed: --customers needs a number");
                2
            }
        },
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

fn seed(n: usize) -> i32 {
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kehu: configuration error: {e}");
            return 2;
        }
    };
    let run = || -> Result<kehu_api::seed::Report, String> {
        let pool = kehu_api::db::connect(&settings.database_url, 1)?;
        let mut c = pool.get().map_err(|e| e.to_string())?;
        kehu_api::db::migrate(&mut c)?;
        kehu_api::repo::roles::ensure_builtin(&mut c, kehu_api::db::now())
            .map_err(|e| e.to_string())?;
        kehu_api::repo::pipelines::ensure_default(&mut c, false, kehu_api::db::now())
            .map_err(|e| e.to_string())?;
        let report = kehu_api::seed::run(&mut c, n)?;
        // so that the first `kehu serve` finds duplicates among them at once
        while kehu_api::repo::customers::dedup::refresh_stale_keys(&mut c, 2000)
            .map_err(|e| e.to_string())?
            > 0
        {}
        // planners that still think the tables are empty choose full scans
        kehu_api::db::analyze(&mut c).map_err(|e| e.to_string())?;
        Ok(report)
    };
    match run() {
        Ok(r) => {
            println!(
                "seeded {} customers and {} contacts in {:.1} s: {:.0} rows/s \
                 ({:.1} s of it remaking indexes and foreign keys)",
                r.customers,
                r.contacts,
                r.seconds,
                r.rows_per_sec(),
                r.rebuild_seconds
            );
            0
        }
        Err(e) => {
            eprintln!("kehu seed: {e}");
            1
        }
    }
}
