//! `idv-emulator`: runs the IDV API emulator on 127.0.0.1 until the process is stopped.

use std::process::ExitCode;
use std::time::Duration;

use idv_emulator::Emulator;

const USAGE: &str = "\
Usage: idv-emulator [OPTIONS]

Runs a local emulator of Yoti's Identity Verification (IDV) API on 127.0.0.1: the API,
the sandbox API (response configs, the agent call) and the hosted capture page, with
request signatures checked as the real service checks them.

Options:
  --port N                    TCP port to listen on (default 0: any free port)
  --app SDK_ID=PUBLIC_KEY.pem register an application and the PEM public key (SPKI or
                              PKCS#1) its requests are signed with; repeatable. A private
                              key PEM is accepted too (only its public half is used)
  --admin                     serve the unsigned admin API under /__admin/ (fault
                              injection, clock, stats); for tests on this machine only
  --skew SECONDS              accepted request timestamp skew (default 600; 0 turns the
                              check off)
  --replay-window SECONDS     how long nonces are remembered (default 600; 0 turns the
                              replay check off)
  -h, --help                  print this help

Prints the API base URL, the sandbox base URL (and the admin URL with --admin), then
logs one line per request to stderr: method, path, status, latency. Never bodies,
query strings or tokens. Stop it with Ctrl-C.

Example:
  idv-emulator --port 8080 --app my-sdk-id=app.pub.pem
  export YOTI_IDV_API_URL=http://127.0.0.1:8080/idverify/v1
  # hosted page: http://127.0.0.1:8080/idverify/v1/web/index.html?sessionID=..&sessionToken=..";

#[derive(Debug, Default)]
struct Args {
    port: u16,
    apps: Vec<(String, String)>,
    admin: bool,
    skew: Option<u64>,
    replay_window: Option<u64>,
}

enum Parsed {
    Run(Args),
    Help,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut parsed = Args::default();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |flag: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--admin" => parsed.admin = true,
            "--skew" | "--replay-window" => {
                let flag = name.clone();
                let text = value(&flag)?;
                let secs: u64 = text
                    .parse()
                    .map_err(|_| format!("{flag}: '{text}' is not a number of seconds"))?;
                if flag == "--skew" {
                    parsed.skew = Some(secs);
                } else {
                    parsed.replay_window = Some(secs);
                }
            }
            "--port" => {
                let text = value("--port")?;
                parsed.port = text
                    .parse()
                    .map_err(|_| format!("--port: '{text}' is not a port number (0-65535)"))?;
            }
            "--app" => {
                let text = value("--app")?;
                let (sdk_id, path) = text
                    .split_once('=')
                    .filter(|(id, path)| !id.is_empty() && !path.is_empty())
                    .ok_or_else(|| {
                        format!("--app: expected SDK_ID=PUBLIC_KEY.pem, got '{text}'")
                    })?;
                parsed.apps.push((sdk_id.to_owned(), path.to_owned()));
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(Parsed::Run(parsed))
}

fn run(args: Args) -> Result<Emulator, String> {
    let mut builder = Emulator::builder()
        .port(args.port)
        .log_requests(true)
        .admin(args.admin);
    if let Some(secs) = args.skew {
        builder = builder.timestamp_skew((secs > 0).then(|| Duration::from_secs(secs)));
    }
    if let Some(secs) = args.replay_window {
        builder = builder.replay_window(Duration::from_secs(secs));
    }
    for (sdk_id, path) in args.apps {
        let pem = std::fs::read_to_string(&path)
            .map_err(|e| format!("--app {sdk_id}: cannot read {path}: {e}"))?;
        // A private key PEM works too: only its public half is kept.
        let key = idv_auth::PublicKey::from_pem(&pem)
            .or_else(|e| {
                idv_auth::PrivateKey::from_pem(&pem)
                    .map(|private| private.public_key())
                    .map_err(|_| e)
            })
            .map_err(|e| format!("--app {sdk_id}: {path} is not a usable public key: {e}"))?;
        builder = builder.app(sdk_id, key);
    }
    builder
        .start()
        .map_err(|e| format!("cannot start the emulator on port {}: {e}", args.port))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(args)) => args,
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("idv-emulator: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.apps.is_empty() {
        eprintln!(
            "idv-emulator: warning: no --app given; every request will get 404 APPLICATION_NOT_FOUND"
        );
    }
    let admin = args.admin;
    let emulator = match run(args) {
        Ok(emulator) => emulator,
        Err(message) => {
            eprintln!("idv-emulator: {message}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", emulator.base_url());
    println!("{}", emulator.sandbox_base_url());
    if admin {
        println!("{}", emulator.admin_url());
    }
    // Serve until the process is killed (Ctrl-C ends it).
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Parsed, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn parses_flags() {
        let Ok(Parsed::Run(args)) = parse(&[
            "--port",
            "8080",
            "--app",
            "a=x.pem",
            "--app=b=y.pem",
            "--port=9",
        ]) else {
            panic!("expected run");
        };
        assert_eq!(args.port, 9);
        assert_eq!(
            args.apps,
            [
                ("a".to_owned(), "x.pem".to_owned()),
                ("b".to_owned(), "y.pem".to_owned())
            ]
        );
        assert!(matches!(parse(&["--help"]), Ok(Parsed::Help)));
        assert!(matches!(parse(&[]), Ok(Parsed::Run(_))));
        let Ok(Parsed::Run(args)) = parse(&["--admin", "--skew", "0", "--replay-window=5"]) else {
            panic!("expected run");
        };
        assert!(args.admin);
        assert_eq!((args.skew, args.replay_window), (Some(0), Some(5)));
    }

    #[test]
    fn rejects_bad_flags() {
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--app", "noequals"]).is_err());
        assert!(parse(&["--app", "=x.pem"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
        assert!(parse(&["--skew", "soon"]).is_err());
    }
}
