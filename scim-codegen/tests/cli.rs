//! The `scim-codegen` binary: from files and from a (fake) live server, its output is the
//! golden source `scim-client`'s tests compile; bad input is a readable error and a non-zero
//! exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn golden(name: &str) -> String {
    let path = repo(&format!("scim-client/tests/generated/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scim-codegen"))
        .args(args)
        .env_remove("SCIM_TOKEN")
        .output()
        .expect("scim-codegen runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn from_files_to_stdout() {
    let schemas = repo("scim-client/tests/fixtures/codegen/vendor-schemas.json");
    let types = repo("scim-client/tests/fixtures/codegen/vendor-resource-types.json");
    let out = run(&[
        "--schemas",
        path_str(&schemas),
        "--resource-types",
        path_str(&types),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), golden("vendor.rs"));
}

#[test]
fn from_files_to_a_file() {
    let schemas = repo("scim-client/tests/fixtures/rfc7643/resource-schemas.json");
    let types = repo("scim-client/tests/fixtures/rfc7643/resource-types.json");
    let target = std::env::temp_dir().join(format!("scim-codegen-{}.rs", std::process::id()));
    let out = run(&[
        "--schemas",
        path_str(&schemas),
        "--resource-types",
        path_str(&types),
        "--out",
        path_str(&target),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&target).expect("written");
    let _ = std::fs::remove_file(&target);
    assert_eq!(written, golden("rfc.rs"));
}

fn rfc(file: &str) -> Value {
    let path = repo(&format!("scim-client/tests/fixtures/rfc7643/{file}"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

/// `--url` reads the discovery documents (with the bearer token) and writes what the files
/// give.
#[tokio::test(flavor = "multi_thread")]
async fn from_a_live_server() {
    let server = MockServer::start().await;
    let list = |resources: Value| {
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": resources.as_array().map_or(0, Vec::len),
            "Resources": resources,
        })
    };
    for (at, body) in [
        (
            "/v2/ServiceProviderConfig",
            rfc("service-provider-config.json"),
        ),
        ("/v2/ResourceTypes", list(rfc("resource-types.json"))),
        ("/v2/Schemas", list(rfc("resource-schemas.json"))),
    ] {
        Mock::given(method("GET"))
            .and(path(at))
            .and(wiremock::matchers::header("authorization", "Bearer s3cret"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                serde_json::to_vec(&body).expect("JSON"),
                "application/scim+json",
            ))
            .mount(&server)
            .await;
    }
    let url = format!("{}/v2", server.uri());
    let out = tokio::task::spawn_blocking(move || run(&["--url", &url, "--token", "s3cret"]))
        .await
        .expect("joined");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), golden("rfc.rs"));
}

#[test]
fn help_and_usage_errors() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("Usage:"));

    let out = run(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown argument `--frobnicate`"));
    assert!(stderr(&out).contains("Usage:"));
}

#[test]
fn bad_input_is_a_readable_error() {
    let out = run(&["--schemas", "/nonexistent/schemas.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: cannot read /nonexistent/schemas.json"),
        "{}",
        stderr(&out)
    );

    let bad = std::env::temp_dir().join(format!("scim-codegen-bad-{}.json", std::process::id()));
    std::fs::write(
        &bad,
        r#"[{"id": "urn:x:Thing", "attributes": [{"name": "a", "type": "text"}]}]"#,
    )
    .expect("write");
    let out = run(&["--schemas", path_str(&bad)]);
    let _ = std::fs::remove_file(&bad);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("schema `urn:x:Thing`")
            && stderr(&out).contains("unknown attribute type `text`"),
        "{}",
        stderr(&out)
    );
}
