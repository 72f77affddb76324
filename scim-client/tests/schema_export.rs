use scim_client::model::*;
use scim_client::{Extension, Resource};
use serde_json::{Value, json};

fn norm_attr(a: &Value) -> Value {
    let o = a.as_object().unwrap();
    let mut m = serde_json::Map::new();
    let d = |k: &str, def: Value| o.get(k).cloned().unwrap_or(def);
    m.insert("name".into(), d("name", Value::Null));
    m.insert("type".into(), d("type", json!("string")));
    m.insert("multiValued".into(), d("multiValued", json!(false)));
    m.insert(
        "description".into(),
        json!(
            d("description", json!(""))
                .as_str()
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ),
    );
    m.insert("required".into(), d("required", json!(false)));
    m.insert("caseExact".into(), d("caseExact", json!(false)));
    m.insert("mutability".into(), d("mutability", json!("readWrite")));
    m.insert("returned".into(), d("returned", json!("default")));
    m.insert("uniqueness".into(), d("uniqueness", json!("none")));
    m.insert("canonicalValues".into(), d("canonicalValues", json!([])));
    m.insert("referenceTypes".into(), d("referenceTypes", json!([])));
    if let Some(Value::Array(s)) = o.get("subAttributes") {
        m.insert(
            "subAttributes".into(),
            Value::Array(s.iter().map(norm_attr).collect()),
        );
    }
    Value::Object(m)
}

fn diff(prefix: &str, ours: &[Value], rfc: &[Value], out: &mut Vec<String>) {
    for r in rfc {
        let name = r["name"].as_str().unwrap();
        let Some(o) = ours
            .iter()
            .find(|o| o["name"].as_str().unwrap().eq_ignore_ascii_case(name))
        else {
            out.push(format!("{prefix}{name}: missing in ours"));
            continue;
        };
        let (o, r) = (norm_attr(o), norm_attr(r));
        for (k, rv) in r.as_object().unwrap() {
            if k == "subAttributes" {
                continue;
            }
            let ov = &o[k];
            if ov != rv {
                out.push(format!("{prefix}{name}.{k}: ours {ov} rfc {rv}"));
            }
        }
        let e = vec![];
        let os = o
            .get("subAttributes")
            .and_then(Value::as_array)
            .unwrap_or(&e);
        let rs = r
            .get("subAttributes")
            .and_then(Value::as_array)
            .unwrap_or(&e);
        diff(&format!("{prefix}{name}."), os, rs, out);
    }
    for o in ours {
        let name = o["name"].as_str().unwrap();
        if !rfc
            .iter()
            .any(|r| r["name"].as_str().unwrap().eq_ignore_ascii_case(name))
        {
            out.push(format!("{prefix}{name}: extra in ours"));
        }
    }
}

fn show(ours: Value, file: &str) {
    let rfc: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("tests/fixtures/rfc7643/{file}")).unwrap(),
    )
    .unwrap();
    let mut out = vec![];
    for k in ["id", "name", "description"] {
        if ours[k] != rfc[k] {
            out.push(format!("{k}: {} vs {}", ours[k], rfc[k]));
        }
    }
    diff(
        "",
        ours["attributes"].as_array().unwrap(),
        rfc["attributes"].as_array().unwrap(),
        &mut out,
    );
    println!("== {file}");
    for l in out {
        println!("  {l}");
    }
}

#[test]
fn scratch() {
    show(<User>::SCHEMA.to_json(), "schema-user.json");
    show(Group::SCHEMA.to_json(), "schema-group.json");
    show(
        <EnterpriseUser as Extension>::SCHEMA.to_json(),
        "schema-enterprise-user.json",
    );
    show(
        ServiceProviderConfig::SCHEMA.to_json(),
        "schema-service-provider-config.json",
    );
    show(ResourceType::SCHEMA.to_json(), "schema-resource-type.json");
    show(Schema::SCHEMA.to_json(), "schema-schema.json");
}
