//! `scim-codegen`: writes typed `scim-client` Rust source (`#[derive(ScimResource)]`,
//! `#[derive(ScimExtension)]` and `#[derive(ScimComplex)]` structs) for SCIM schemas read from
//! JSON files or from a live server's `/Schemas` and `/ResourceTypes`.
//!
//! ```text
//! cargo run -p scim-codegen -- --schemas schemas.json [--resource-types types.json] [--out types.rs]
//! cargo run -p scim-codegen -- --url https://example.com/scim/v2 [--token TOKEN] [--out types.rs]
//! ```
//!
//! See `scim_client::codegen` for what is generated.

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

const USAGE: &str = "\
scim-codegen: Rust types for SCIM schemas (RFC 7643), for scim-client

Usage:
  scim-codegen --schemas FILE [--resource-types FILE] [--out FILE]
  scim-codegen --url BASE_URL [--token TOKEN] [--out FILE]

Options:
  --schemas FILE         Schema JSON: a /Schemas ListResponse, a list of Schema resources,
                         or one Schema resource.
  --resource-types FILE  ResourceType JSON, likewise. Without it, every schema whose URN
                         contains `:extension:` is an extension and every other one a
                         resource type of its own name.
  --url BASE_URL         Read /ServiceProviderConfig, /ResourceTypes and /Schemas from a
                         live server (https://example.com/scim/v2).
  --token TOKEN          A bearer token for --url (or set SCIM_TOKEN).
  --out FILE             Write the source to FILE instead of standard output.
  -h, --help             Show this help.

The output is formatted Rust source: one #[derive(ScimResource)] struct per resource
type, one #[derive(ScimExtension)] struct per extension and one #[derive(ScimComplex)]
struct per complex attribute. The including crate depends on scim-client, serde_json
and, for dateTime attributes, jiff.
";

/// Where the schemas come from.
#[derive(Debug, PartialEq)]
enum Source {
    Files {
        schemas: PathBuf,
        resource_types: Option<PathBuf>,
    },
    Server {
        url: String,
        token: Option<String>,
    },
}

#[derive(Debug, PartialEq)]
struct Args {
    source: Source,
    out: Option<PathBuf>,
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Generate(Args),
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut schemas = None;
    let mut resource_types = None;
    let mut url = None;
    let mut token = None;
    let mut out = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(Command::Help);
        }
        let slot = match flag.as_str() {
            "--schemas" => &mut schemas,
            "--resource-types" => &mut resource_types,
            "--url" => &mut url,
            "--token" => &mut token,
            "--out" => &mut out,
            other => return Err(format!("unknown argument `{other}`")),
        };
        let value = match inline {
            Some(v) => v,
            None => args
                .next()
                .ok_or_else(|| format!("`{flag}` needs a value"))?,
        };
        if slot.replace(value).is_some() {
            return Err(format!("`{flag}` given twice"));
        }
    }
    let source = match (schemas, url) {
        (Some(_), Some(_)) => return Err("give either `--schemas` or `--url`, not both".into()),
        (None, None) => return Err("give `--schemas FILE` or `--url BASE_URL`".into()),
        (Some(schemas), None) => {
            if token.is_some() {
                return Err("`--token` goes with `--url`".into());
            }
            Source::Files {
                schemas: schemas.into(),
                resource_types: resource_types.map(PathBuf::from),
            }
        }
        (None, Some(url)) => {
            if resource_types.is_some() {
                return Err(
                    "`--resource-types` goes with `--schemas`; `--url` reads them from the server"
                        .into(),
                );
            }
            Source::Server { url, token }
        }
    };
    Ok(Command::Generate(Args {
        source,
        out: out.map(PathBuf::from),
    }))
}

fn read_json(path: &PathBuf) -> Result<Value, Box<dyn Error>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()).into())
}

fn generate(source: &Source) -> Result<String, Box<dyn Error>> {
    match source {
        Source::Files {
            schemas,
            resource_types,
        } => {
            let schemas = read_json(schemas)?;
            let resource_types = resource_types.as_ref().map(read_json).transpose()?;
            Ok(scim_client::codegen::generate_from_json(
                &schemas,
                resource_types.as_ref(),
            )?)
        }
        Source::Server { url, token } => {
            let mut builder = scim_client::Client::builder(url);
            if let Some(token) = token
                .clone()
                .or_else(|| std::env::var("SCIM_TOKEN").ok().filter(|t| !t.is_empty()))
            {
                builder = builder.bearer_token(token);
            }
            let client = builder.build()?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let discovery = runtime.block_on(client.discover())?;
            Ok(scim_client::codegen::generate_from_discovery(&discovery)?)
        }
    }
}

/// The error and its causes, one per line.
fn report(e: &dyn Error) -> String {
    let mut out = format!("error: {e}");
    let mut source = e.source();
    while let Some(cause) = source {
        let _ = write!(out, "\n  caused by: {cause}");
        source = cause.source();
    }
    out
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Generate(args)) => args,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let source = match generate(&args.source) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}", report(e.as_ref()));
            return ExitCode::FAILURE;
        }
    };
    match &args.out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &source) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
        None => print!("{source}"),
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Command, String> {
        parse(list.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn parses_files_and_server_forms() {
        assert_eq!(
            args(&[
                "--schemas",
                "s.json",
                "--resource-types=r.json",
                "--out",
                "o.rs"
            ]),
            Ok(Command::Generate(Args {
                source: Source::Files {
                    schemas: "s.json".into(),
                    resource_types: Some("r.json".into()),
                },
                out: Some("o.rs".into()),
            }))
        );
        assert_eq!(
            args(&["--url", "http://x/v2", "--token", "t"]),
            Ok(Command::Generate(Args {
                source: Source::Server {
                    url: "http://x/v2".into(),
                    token: Some("t".into()),
                },
                out: None,
            }))
        );
        assert_eq!(args(&["--schemas", "s", "-h"]), Ok(Command::Help));
    }

    #[test]
    fn refuses_bad_command_lines() {
        for (line, message) in [
            (&[][..], "give `--schemas FILE` or `--url BASE_URL`"),
            (&["--schemas", "a", "--url", "b"][..], "not both"),
            (&["--schemas"][..], "needs a value"),
            (&["--schemas", "a", "--schemas", "b"][..], "given twice"),
            (&["--frobnicate"][..], "unknown argument `--frobnicate`"),
            (
                &["--url", "u", "--resource-types", "r"][..],
                "goes with `--schemas`",
            ),
            (&["--schemas", "s", "--token", "t"][..], "goes with `--url`"),
        ] {
            let err = args(line).expect_err("refused");
            assert!(err.contains(message), "{line:?}: {err}");
        }
    }
}
