//! Diff-generated PATCH requests against the open server (`SCIM_BASE_URL`): for users with
//! varied attributes (name parts, typed emails, phone numbers, addresses, the enterprise
//! extension...), `patch::diff_resources(&old, &new)` is sent with `Api::patch`, and the
//! resource the server then holds must equal what `patch::apply_to(&old, &diff)` computes
//! locally, on every writable attribute (`id`, `meta` and `readOnly` attributes are left
//! out), and equal `new` itself.
//!
//! Each diff also passes `PatchOp::check` against the user's metadata and its old state
//! before it is sent.

use scim_client::codec::{self, Context};
use scim_client::model::{
    Address, Email, EnterpriseUser, Im, Manager, Name, PhoneNumber, Role, User, X509Certificate,
};
use scim_client::patch::{self, Schemas};
use scim_client::protocol::{PatchOp, ScimType};
use scim_client::schema::{Attribute, AttributeType, Mutability, SchemaDef};
use scim_client::{Api, Binary, Resource};
use scim_interop_tests::{email, enterprise_user, open_client, unique};
use serde_json::{Map, Value, json};

type EUser = User<EnterpriseUser>;

/// One case: a name, and how `new` differs from `old` (the created user).
struct Case {
    name: &'static str,
    /// How the user is created, before `change` (`|_| {}` for [`enterprise_user`] as is).
    prepare: fn(&mut EUser),
    /// Only reorders the values of a multi-valued attribute (see [`run`]).
    reorders: bool,
    change: fn(&mut EUser),
}

fn enterprise(user: &mut EUser) -> &mut EnterpriseUser {
    user.extension_mut::<EnterpriseUser>()
        .expect("the enterprise extension")
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "simple attributes set, changed and removed",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                u.display_name = Some("Babs".to_owned());
                u.title = None;
                u.nick_name = Some("babs".to_owned());
                u.active = Some(false);
                u.user_type = Some("Employee".to_owned());
                u.preferred_language = Some("en-US".to_owned());
                u.locale = Some("en-US".to_owned());
                u.timezone = Some("America/Los_Angeles".to_owned());
                u.external_id = Some("ext-1".to_owned());
            },
        },
        Case {
            name: "name parts added, changed and removed",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                let name = u.name.as_mut().expect("name");
                name.given_name = Some("Babs".to_owned());
                name.family_name = None;
                name.middle_name = Some("Jane".to_owned());
                name.honorific_prefix = Some("Ms.".to_owned());
            },
        },
        Case {
            name: "name removed",
            prepare: |_| {},
            reorders: false,
            change: |u| u.name = None,
        },
        Case {
            name: "an email removed",
            prepare: |_| {},
            reorders: false,
            change: |u| u.emails.retain(|e| e.type_.as_deref() == Some("work")),
        },
        Case {
            name: "a typed email added",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                let user_name = u.user_name.clone().unwrap_or_default();
                u.emails.push(email(
                    &format!("{user_name}@other.example.com"),
                    "other",
                    false,
                ));
            },
        },
        Case {
            name: "an email removed and another added",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                let user_name = u.user_name.clone().unwrap_or_default();
                u.emails.retain(|e| e.type_.as_deref() == Some("work"));
                u.emails.push(Email {
                    value: Some(format!("{user_name}@new.example.com")),
                    type_: Some("home".to_owned()),
                    display: Some("new home".to_owned()),
                    ..Email::default()
                });
            },
        },
        Case {
            name: "the primary email moved",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                for e in &mut u.emails {
                    e.primary = (e.type_.as_deref() == Some("home")).then_some(true);
                }
            },
        },
        Case {
            name: "emails reordered",
            prepare: |_| {},
            reorders: true,
            change: |u| u.emails.reverse(),
        },
        Case {
            name: "an email whose value needs escaping in a filter",
            prepare: |u| {
                let user_name = u.user_name.clone().unwrap_or_default();
                u.emails.push(email(
                    &format!("{user_name}.\"quoted\\back\"@other.example.com"),
                    "other",
                    false,
                ));
            },
            reorders: false,
            change: |u| u.emails.retain(|e| e.type_.as_deref() != Some("other")),
        },
        Case {
            name: "phone numbers, addresses, ims, roles and certificates added",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                u.phone_numbers = vec![
                    PhoneNumber {
                        value: Some("tel:+1-201-555-0123".to_owned()),
                        type_: Some("work".to_owned()),
                        primary: Some(true),
                        ..PhoneNumber::default()
                    },
                    PhoneNumber {
                        value: Some("tel:+1-201-555-0199".to_owned()),
                        type_: Some("mobile".to_owned()),
                        ..PhoneNumber::default()
                    },
                ];
                u.addresses = vec![Address {
                    street_address: Some("100 Universal City Plaza".to_owned()),
                    locality: Some("Hollywood".to_owned()),
                    region: Some("CA".to_owned()),
                    postal_code: Some("91608".to_owned()),
                    country: Some("US".to_owned()),
                    type_: Some("work".to_owned()),
                    primary: Some(true),
                    ..Address::default()
                }];
                u.ims = vec![Im {
                    value: Some("babs_jensen".to_owned()),
                    type_: Some("xmpp".to_owned()),
                    ..Im::default()
                }];
                u.roles = vec![Role {
                    value: Some("guide".to_owned()),
                    ..Role::default()
                }];
                u.x509_certificates = vec![X509Certificate {
                    value: Some(Binary(b"not really DER, but bytes".to_vec())),
                    ..X509Certificate::default()
                }];
            },
        },
        Case {
            name: "enterprise attributes changed and removed, manager changed",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                let e = enterprise(u);
                e.department = Some("Tours".to_owned());
                e.cost_center = None;
                e.division = Some("Studios".to_owned());
                e.manager = Some(Manager {
                    value: Some("902c246b-6245-4190-8e05-00816be7344a".to_owned()),
                    ..Manager::default()
                });
            },
        },
        Case {
            name: "enterprise manager removed",
            prepare: |_| {},
            reorders: false,
            change: |u| enterprise(u).manager = None,
        },
        Case {
            name: "enterprise extension removed",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                u.extensions.remove::<EnterpriseUser>();
            },
        },
        Case {
            name: "enterprise extension added",
            prepare: |u| {
                u.extensions.remove::<EnterpriseUser>();
            },
            reorders: false,
            change: |u| {
                u.extensions.insert(EnterpriseUser {
                    employee_number: Some("42".to_owned()),
                    department: Some("Tours".to_owned()),
                    manager: Some(Manager {
                        value: Some("26118915-6090-4610-87e4-49d8ca9f808d".to_owned()),
                        ..Manager::default()
                    }),
                    ..EnterpriseUser::default()
                });
            },
        },
        Case {
            name: "many changes at once",
            prepare: |_| {},
            reorders: false,
            change: |u| {
                u.display_name = None;
                u.title = Some("Chief Guide".to_owned());
                u.name = Some(Name {
                    formatted: Some("Ms. Barbara J Jensen III".to_owned()),
                    ..Name::default()
                });
                u.emails.truncate(1);
                u.emails[0].display = Some("work mail".to_owned());
                let e = enterprise(u);
                e.organization = None;
                e.employee_number = Some("701985".to_owned());
            },
        },
    ]
}

/// The writable attributes of a user's JSON, each under its canonical path
/// (`name`, `urn:...:User:department`), with `readOnly` sub-attributes left out.
fn writable(user: &EUser) -> Map<String, Value> {
    let json = codec::to_value(user, Context::Default).expect("a user writes as JSON");
    let schemas = Schemas::of::<EUser>();
    let mut out = Map::new();
    let object = json.as_object().expect("an object");
    let core = schemas.core();
    for a in core
        .attributes
        .iter()
        .chain(std::iter::once(scim_client::schema::common::EXTERNAL_ID))
    {
        collect(&mut out, None, a, object);
    }
    for ext in schemas.extensions() {
        if let Some(Value::Object(members)) = object.get(&*ext.id) {
            for a in ext.attributes.iter() {
                collect(&mut out, Some(ext), a, members);
            }
        }
    }
    out
}

fn collect(
    out: &mut Map<String, Value>,
    ext: Option<&SchemaDef>,
    a: &Attribute,
    object: &Map<String, Value>,
) {
    if a.mutability == Mutability::ReadOnly {
        return;
    }
    let Some(value) = object.get(&*a.name) else {
        return;
    };
    let value = strip_read_only(a, value);
    if is_empty(&value) {
        return;
    }
    let key = match ext {
        Some(ext) => format!("{}:{}", ext.id, a.name),
        None => a.name.to_string(),
    };
    out.insert(key, value);
}

fn strip_read_only(a: &Attribute, value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| strip_read_only(a, item))
                .filter(|item| !is_empty(item))
                .collect(),
        ),
        Value::Object(members) if a.ty == AttributeType::Complex => Value::Object(
            members
                .iter()
                .filter(|(k, v)| {
                    !is_empty(v)
                        && a.sub_attribute(k)
                            .is_none_or(|s| s.mutability != Mutability::ReadOnly)
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => members.is_empty(),
        _ => false,
    }
}

/// `value` with the entries of every list sorted, to compare lists as multisets.
fn unordered(value: &Value) -> Value {
    match value {
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(unordered).collect();
            items.sort_by_key(Value::to_string);
            Value::Array(items)
        }
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), unordered(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Where two users differ: `(attribute, left, right)`; with `ordered` false, the order of
/// the values of multi-valued attributes does not count.
fn differences(left: &EUser, right: &EUser, ordered: bool) -> Vec<(String, Value, Value)> {
    let (mut left, mut right) = (writable(left), writable(right));
    if !ordered {
        for map in [&mut left, &mut right] {
            for value in map.values_mut() {
                *value = unordered(value);
            }
        }
    }
    let mut keys: Vec<&String> = left.keys().chain(right.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| left.get(*k) != right.get(*k))
        .map(|k| {
            (
                k.clone(),
                left.get(k).cloned().unwrap_or(Value::Null),
                right.get(k).cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

fn describe(patch: &PatchOp) -> String {
    serde_json::to_string(&patch.operations).unwrap_or_default()
}

/// Runs one case: what the server holds after the diff, what `apply_to` computes, and `new`.
async fn run(api: &Api<EUser>, case: &Case) -> Result<(), String> {
    let user_name = unique("patch-diff");
    let mut wanted = enterprise_user(&user_name);
    (case.prepare)(&mut wanted);
    let old = api
        .create(&wanted)
        .await
        .map_err(|e| format!("create: {e}"))?;
    let id = old.id.clone().ok_or("the server gave no id")?;
    let mut new = old.clone();
    (case.change)(&mut new);

    let diff = patch::diff_resources(&old, &new).map_err(|e| format!("diff: {e}"))?;
    eprintln!("{}: {}", case.name, describe(&diff));
    let outcome = async {
        if diff.operations.is_empty() {
            return Err("the diff is empty".to_owned());
        }
        let old_json = codec::to_value(&old, Context::Default).map_err(|e| e.to_string())?;
        diff.check(&Schemas::of::<EUser>(), Some(&old_json))
            .map_err(|e| format!("check refused the diff {}: {e}", describe(&diff)))?;
        let local = patch::apply_to(&old, &diff).map_err(|e| format!("apply_to: {e}"))?;
        let to_new = differences(&local, &new, true);
        if !to_new.is_empty() {
            return Err(format!(
                "local apply of {} differs from `new` (attribute, ours, new): {to_new:?}",
                describe(&diff)
            ));
        }
        api.patch(&id, &diff)
            .await
            .map_err(|e| format!("the server refused {}: {e}", describe(&diff)))?;
        let served = api.get(&id).await.map_err(|e| format!("get: {e}"))?;
        let disagreements = differences(&served, &local, !case.reorders);
        if !disagreements.is_empty() {
            return Err(format!(
                "the server disagrees with the local apply of {} (attribute, server, ours): {disagreements:?}",
                describe(&diff)
            ));
        }
        if case.reorders {
            // scim2-models compares lists as multisets ("the order of entries aside", its
            // reading of RFC 7643 section 2.4): a `replace` that only reorders the values
            // changes nothing, and the old order stays. We apply the list as given (RFC 7644
            // section 3.5.2.3: "the attribute and all values are replaced").
            let kept = differences(&served, &old, true);
            if !kept.is_empty() {
                return Err(format!(
                    "the server no longer keeps the old order on a reordering `replace`: {kept:?}"
                ));
            }
        }
        Ok(())
    }
    .await;
    api.delete(&id).await.map_err(|e| format!("delete: {e}"))?;
    outcome
}

#[tokio::test]
async fn diff_patches_applied_by_the_server_match_the_local_apply() {
    let Some(scim) =
        open_client("patch_interop::diff_patches_applied_by_the_server_match_the_local_apply")
    else {
        return;
    };
    let api = scim.resource::<EUser>();
    let mut failures = Vec::new();
    let cases = cases();
    for case in &cases {
        if let Err(e) = run(&api, case).await {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Hand-written patches with the constructs `diff` never writes, applied by the server and
/// locally to the same user: `(name, patch)`.
fn constructs() -> Vec<(&'static str, PatchOp)> {
    let enterprise = scim_interop_tests::ENTERPRISE_URN;
    vec![
        (
            "add without a path, with an extension object (RFC 7644 section 3.5.2.1)",
            PatchOp::new().add_to_resource(json!({
                "nickName": "Babs",
                "emails": [{"value": "babs@jensen.org", "type": "other"}],
                enterprise: {"department": "Tours"},
            })),
        ),
        (
            "replace without a path merges a complex value",
            PatchOp::new().replace_in_resource(json!({
                "displayName": "Barbara J.",
                "name": {"middleName": "Jane"},
            })),
        ),
        (
            "replace of a sub-attribute of filtered values (RFC 7644 section 3.5.2.3)",
            PatchOp::new().replace(r#"emails[type eq "work"].value"#, "moved@work.example.com"),
        ),
        (
            "replace of filtered values",
            PatchOp::new().replace(
                r#"emails[type eq "home"]"#,
                json!({"value": "new@home.example.com", "type": "home", "display": "home"}),
            ),
        ),
        (
            "add to filtered values merges",
            PatchOp::new().add(r#"emails[type eq "home"]"#, json!({"display": "at home"})),
        ),
        (
            "remove with a compound value filter (RFC 7644 section 3.5.2.2)",
            PatchOp::new().remove(r#"emails[type eq "work" and value ew "example.com"]"#),
        ),
        (
            "add of a new primary value demotes the old one",
            PatchOp::new().add(
                "emails",
                json!([{"value": "primary@example.org", "type": "other", "primary": true}]),
            ),
        ),
        (
            "replace of a sub-attribute through an extension URN path",
            PatchOp::new().replace(format!("{enterprise}:manager.value"), "902c246b"),
        ),
        (
            "replace with an extension URN path and an object",
            PatchOp::new().replace(
                enterprise,
                json!({"division": "Studios", "costCenter": null}),
            ),
        ),
        (
            "remove of a whole extension by its URN",
            PatchOp::new().remove(enterprise),
        ),
        (
            "remove of a sub-attribute and of an extension attribute",
            PatchOp::new()
                .remove("name.familyName")
                .remove(format!("{enterprise}:department")),
        ),
        (
            "replace with null unassigns",
            PatchOp::new().replace("title", Value::Null),
        ),
        (
            "names in another case",
            PatchOp::new()
                .replace("DISPLAYNAME", "Upper")
                .replace("NAME.GIVENNAME", "Upper")
                .replace(r#"EMAILS[TYPE eq "work"].VALUE"#, "upper@work.example.com"),
        ),
    ]
}

#[tokio::test]
async fn hand_written_patches_applied_by_the_server_match_the_local_apply() {
    let Some(scim) = open_client(
        "patch_interop::hand_written_patches_applied_by_the_server_match_the_local_apply",
    ) else {
        return;
    };
    let api = scim.resource::<EUser>();
    let mut failures = Vec::new();
    let constructs = constructs();
    for (name, patch) in &constructs {
        let old = match api
            .create(&enterprise_user(&unique("patch-construct")))
            .await
        {
            Ok(old) => old,
            Err(e) => {
                failures.push(format!("{name}: create: {e}"));
                continue;
            }
        };
        let id = old.id.clone().expect("an id");
        let outcome = async {
            let old_json = codec::to_value(&old, Context::Default).map_err(|e| e.to_string())?;
            patch
                .check(&Schemas::of::<EUser>(), Some(&old_json))
                .map_err(|e| format!("check: {e}"))?;
            let local = patch::apply_to(&old, patch).map_err(|e| format!("apply_to: {e}"))?;
            api.patch(&id, patch)
                .await
                .map_err(|e| format!("the server refused it: {e}"))?;
            let served = api.get(&id).await.map_err(|e| format!("get: {e}"))?;
            let disagreements = differences(&served, &local, true);
            if disagreements.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "{} (attribute, server, ours): {disagreements:?}",
                    describe(patch)
                ))
            }
        }
        .await;
        if let Err(e) = outcome {
            failures.push(format!("{name}: {e}"));
        }
        api.delete(&id).await.expect("delete");
    }
    assert!(
        failures.is_empty(),
        "{} of {} constructs failed:\n{}",
        failures.len(),
        constructs.len(),
        failures.join("\n")
    );
}

/// RFC 7644 section 3.10: clients "SHOULD fully qualify extended attributes". scim2-server
/// refuses a bare extension attribute name (`department`) with `invalidPath`, in a PATCH path
/// as in a filter; `PatchOp::check` refuses it before sending, although `apply` accepts it
/// (as Microsoft Entra ID sends `manager`).
#[tokio::test]
async fn unqualified_extension_attributes_are_refused_by_the_server_and_by_check() {
    let Some(scim) = open_client(
        "patch_interop::unqualified_extension_attributes_are_refused_by_the_server_and_by_check",
    ) else {
        return;
    };
    let api = scim.resource::<EUser>();
    let old = api
        .create(&enterprise_user(&unique("patch-unqualified")))
        .await
        .expect("create");
    let id = old.id.clone().expect("an id");
    let patch = PatchOp::new().replace("department", "Tours");
    let checked = patch.check(&Schemas::of::<EUser>(), None);
    let served = api.patch(&id, &patch).await;
    let local = patch::apply_to(&old, &patch);
    api.delete(&id).await.expect("delete");

    let e = checked.expect_err("check refuses a bare extension attribute");
    assert_eq!(e.kind(), patch::PatchErrorKind::InvalidPath);
    let e = served.expect_err("scim2-server refuses a bare extension attribute");
    assert_eq!(e.status(), Some(400), "{e}");
    assert_eq!(
        e.scim_error().and_then(|s| s.scim_type.clone()),
        Some(ScimType::InvalidPath),
        "{e}"
    );
    assert_eq!(
        local
            .expect("apply accepts it")
            .extension::<EnterpriseUser>()
            .and_then(|x| x.department.as_deref()),
        Some("Tours")
    );
}

/// The resource type's metadata is what the diff and the check use: the user's schemas.
#[test]
fn the_cases_use_the_user_schemas() {
    assert_eq!(
        <EUser as Resource>::SCHEMA.id,
        "urn:ietf:params:scim:schemas:core:2.0:User"
    );
    assert_eq!(cases().len(), 15);
    assert_eq!(constructs().len(), 13);
}
