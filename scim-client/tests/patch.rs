//! Local PATCH application and diffing (`scim_client::patch`): every RFC 7644 section 3.5.2
//! example applied with the outcome the RFC describes, the rules around them (atomicity, case,
//! URN paths, Entra ID tolerances, `primary`, mutability), and a property test that applying
//! the diff of two users gives the second.

use std::path::Path;

use proptest::prelude::*;
use scim_client::codec::{self, Context};
use scim_client::filter::{CompValue, Filter};
use scim_client::model::{Email, EnterpriseUser, Group, Name, User};
use scim_client::patch::{self, PatchError, PatchErrorKind, Schemas};
use scim_client::path::PatchPath;
use scim_client::protocol::{PatchOp, PatchOpKind, PatchOperation, ScimType};
use scim_client::schema::SchemaDef;
use scim_client::{Error, Extension, Resource};
use serde_json::{Value, json};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

type EUser = User<EnterpriseUser>;

// ----- helpers ---------------------------------------------------------------------------------

fn read(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_fixture(file: &str) -> Value {
    serde_json::from_str(&read(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn patch_fixture(name: &str) -> PatchOp {
    let file = format!("rfc7644/{name}");
    serde_json::from_str(&read(&file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The `value` of operation `i` of a PATCH fixture, as JSON.
fn op_value(patch: &PatchOp, i: usize) -> Value {
    patch.operations[i].value.clone().expect("a value")
}

/// RFC 7643 section 8.2's full user, without the password (never returned).
fn full_user() -> Value {
    let mut user = json_fixture("rfc7643/user-full.json");
    user.as_object_mut().unwrap().remove("password");
    user
}

/// RFC 7643 section 8.4's group.
fn group() -> Value {
    json_fixture("rfc7643/group.json")
}

fn users() -> Schemas<'static> {
    Schemas::of::<EUser>()
}

fn groups() -> Schemas<'static> {
    Schemas::of::<Group>()
}

/// `resource` patched, or the error (and then `resource` must be unchanged).
fn patched(resource: &Value, patch: &PatchOp, schemas: &Schemas<'_>) -> Result<Value, PatchError> {
    let mut out = resource.clone();
    match patch::apply(&mut out, patch, schemas) {
        Ok(()) => Ok(out),
        Err(e) => {
            assert_eq!(
                &out, resource,
                "a failed patch must leave the resource unchanged"
            );
            Err(e)
        }
    }
}

fn ok(resource: &Value, patch: &PatchOp, schemas: &Schemas<'_>) -> Value {
    patched(resource, patch, schemas).unwrap_or_else(|e| panic!("{e}"))
}

fn fails(resource: &Value, patch: &PatchOp, schemas: &Schemas<'_>) -> PatchError {
    match patched(resource, patch, schemas) {
        Ok(v) => panic!("expected an error, got {v:#}"),
        Err(e) => e,
    }
}

fn one(op: PatchOperation) -> PatchOp {
    PatchOp::new().push(op)
}

// ----- RFC 7644 section 3.5.2 examples ---------------------------------------------------------

/// Every PATCH example of RFC 7644 section 3.5.2 in the fixtures has a test below.
#[test]
fn every_rfc_patch_fixture_is_covered() {
    let covered = [
        "3.5.2-patch-request-general.json",
        "3.5.2.1-patch-add-emails-nickname-request.json",
        "3.5.2.1-patch-add-member-request.json",
        "3.5.2.2-patch-remove-all-and-add-members-request.json",
        "3.5.2.2-patch-remove-all-members-request.json",
        "3.5.2.2-patch-remove-and-add-member-request.json",
        "3.5.2.2-patch-remove-filtered-emails-request.json",
        "3.5.2.2-patch-remove-member-request.json",
        "3.5.2.3-patch-replace-emails-nickname-request.json",
        "3.5.2.3-patch-replace-members-request.json",
        "3.5.2.3-patch-replace-street-address-request.json",
        "3.5.2.3-patch-replace-work-address-request.json",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rfc7644");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("3.5.2") && Path::new(n).extension().is_some_and(|e| e == "json"))
        .collect();
    found.sort();
    assert_eq!(found, covered);
    for name in covered {
        // Each one is a valid message.
        patch_fixture(name)
            .validate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// Figure 6 and section 3.5.2.1: add a member; adding it again changes nothing.
#[test]
fn rfc_add_member() {
    for name in [
        "3.5.2-patch-request-general.json",
        "3.5.2.1-patch-add-member-request.json",
    ] {
        let patch = patch_fixture(name);
        let mut start = group();
        start["members"].as_array_mut().unwrap().remove(0); // Babs is not a member yet
        let mandy = start["members"][0].clone();

        let out = ok(&start, &patch, &groups());
        assert_eq!(out["displayName"], "Tour Guides");
        assert_eq!(
            out["members"],
            json!([
                mandy,
                {
                    "display": "Babs Jensen",
                    "$ref": "https://example.com/v2/Users/2819c223...413861904646",
                    "value": "2819c223-7f76-453a-919d-413861904646"
                }
            ]),
            "{name}"
        );
        // "If the user was already a member of this group, no changes should be made."
        assert_eq!(ok(&out, &patch, &groups()), out);

        // The same through the typed wrapper.
        let typed: Group = codec::from_value(start.clone(), Context::Default).unwrap();
        let typed = patch::apply_to(&typed, &patch).unwrap();
        assert_eq!(typed.members.len(), 2);
        assert_eq!(
            typed.members[1].value.as_deref(),
            Some("2819c223-7f76-453a-919d-413861904646")
        );
        assert_eq!(typed.members[1].display.as_deref(), Some("Babs Jensen"));
    }
}

/// Section 3.5.2.1: add without a path; `emails` gains a value, `nickname` (any case) is set.
#[test]
fn rfc_add_emails_and_nickname() {
    let patch = patch_fixture("3.5.2.1-patch-add-emails-nickname-request.json");
    let mut start = full_user();
    start.as_object_mut().unwrap().remove("nickName");
    start["emails"].as_array_mut().unwrap().pop(); // only the work email

    let out = ok(&start, &patch, &users());
    assert_eq!(out["nickName"], "Babs");
    assert!(
        out.get("nickname").is_none(),
        "written with the schema's spelling"
    );
    assert_eq!(
        out["emails"],
        json!([
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ])
    );
    // Nothing else moved.
    let mut expected = start.clone();
    expected["nickName"] = json!("Babs");
    expected["emails"] = out["emails"].clone();
    assert_eq!(out, expected);

    // On the RFC's full user, which already has both, nothing changes.
    assert_eq!(ok(&full_user(), &patch, &users()), full_user());

    // An existing nickname is replaced, as for any single-valued attribute.
    let mut babsy = full_user();
    babsy["nickName"] = json!("Babsy");
    assert_eq!(ok(&babsy, &patch, &users())["nickName"], "Babs");
}

/// Section 3.5.2.2: remove one member by value filter. The RFC's value is elided
/// (`2819c223-7f76-...413861904646`): on the RFC group nothing matches and nothing changes;
/// on a group holding that value, it goes.
#[test]
fn rfc_remove_member() {
    let patch = patch_fixture("3.5.2.2-patch-remove-member-request.json");
    assert_eq!(ok(&group(), &patch, &groups()), group());

    let mut start = group();
    start["members"][0]["value"] = json!("2819c223-7f76-...413861904646");
    let out = ok(&start, &patch, &groups());
    assert_eq!(out["members"], json!([group()["members"][1].clone()]));

    // Removing the last member leaves the attribute unassigned.
    let out = ok(
        &out,
        &one(PatchOperation::remove(
            r#"members[value eq "902c246b-6245-4190-8e05-00816be7344a"]"#,
        )),
        &groups(),
    );
    assert!(out.get("members").is_none(), "{out:#}");
}

/// Section 3.5.2.2: remove all members.
#[test]
fn rfc_remove_all_members() {
    let patch = patch_fixture("3.5.2.2-patch-remove-all-members-request.json");
    let out = ok(&group(), &patch, &groups());
    assert!(out.get("members").is_none());
    let mut expected = group();
    expected.as_object_mut().unwrap().remove("members");
    assert_eq!(out, expected);

    let typed: Group = codec::from_value(group(), Context::Default).unwrap();
    assert!(patch::apply_to(&typed, &patch).unwrap().members.is_empty());
}

/// Section 3.5.2.2: remove the emails matching a filter with `and`.
#[test]
fn rfc_remove_filtered_emails() {
    let patch = patch_fixture("3.5.2.2-patch-remove-filtered-emails-request.json");
    let out = ok(&full_user(), &patch, &users());
    assert_eq!(
        out["emails"],
        json!([{"value": "babs@jensen.org", "type": "home"}])
    );
    // Only the work email ends with example.com; a home one at example.com stays.
    let mut start = full_user();
    start["emails"][1]["value"] = json!("babs@example.com");
    assert_eq!(
        ok(&start, &patch, &users())["emails"],
        json!([{"value": "babs@example.com", "type": "home"}])
    );
}

/// Section 3.5.2.2 "remove and add a member": as printed, the first path lacks the space the
/// ABNF requires after `eq` (`value eq"2819c223..."`), so the request fails as a whole and the
/// group is unchanged. With the space, the member is swapped.
#[test]
fn rfc_remove_and_add_member() {
    let patch = patch_fixture("3.5.2.2-patch-remove-and-add-member-request.json");
    let mut start = group();
    start["members"][0]["value"] = json!("2819c223...919d-413861904646");

    let e = fails(&start, &patch, &groups());
    assert_eq!(e.kind(), PatchErrorKind::InvalidPath);
    assert_eq!(e.index(), 0);
    assert_eq!(e.op(), PatchOpKind::Remove);
    assert!(e.message().contains("position 16"), "{e}");

    let fixed: PatchOp = serde_json::from_str(
        &read("rfc7644/3.5.2.2-patch-remove-and-add-member-request.json")
            .replace(r#"eq\"2819"#, r#"eq \"2819"#),
    )
    .unwrap();
    let out = ok(&start, &fixed, &groups());
    assert_eq!(
        out["members"],
        json!([
            group()["members"][1].clone(),
            {
                "display": "James Smith",
                "$ref": "https://example.com/v2/Users/08e1d05d...473d93df9210",
                "value": "08e1d05d...473d93df9210"
            }
        ])
    );
}

/// Section 3.5.2.2: remove all members, then add two.
#[test]
fn rfc_remove_all_and_add_members() {
    let patch = patch_fixture("3.5.2.2-patch-remove-all-and-add-members-request.json");
    let out = ok(&group(), &patch, &groups());
    assert_eq!(out["members"], op_value(&patch, 1));
    assert_eq!(
        out["members"][1]["value"],
        "08e1d05d-121c-4561-8b96-473d93df9210"
    );
    assert_eq!(out["displayName"], "Tour Guides");
}

/// Section 3.5.2.3: replace all members in one operation.
#[test]
fn rfc_replace_members() {
    let patch = patch_fixture("3.5.2.3-patch-replace-members-request.json");
    let out = ok(&group(), &patch, &groups());
    assert_eq!(out["members"], op_value(&patch, 0));
    assert_eq!(
        out["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["display"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Babs Jensen", "James Smith"]
    );

    let typed: Group = codec::from_value(group(), Context::Default).unwrap();
    let typed = patch::apply_to(&typed, &patch).unwrap();
    assert_eq!(
        typed.members[1].value.as_deref(),
        Some("08e1d05d...473d93df9210")
    );
}

/// Section 3.5.2.3: replace the whole work address through a value filter; setting `primary`
/// resets it on the other addresses.
#[test]
fn rfc_replace_work_address() {
    let patch = patch_fixture("3.5.2.3-patch-replace-work-address-request.json");
    let out = ok(&full_user(), &patch, &users());
    assert_eq!(out["addresses"][0], op_value(&patch, 0));
    assert_eq!(out["addresses"][0]["country"], "US");
    assert_eq!(
        out["addresses"][0]["streetAddress"],
        "911 Universal City Plaza"
    );
    assert_eq!(out["addresses"][1], full_user()["addresses"][1]);

    // "by setting primary to true, the service provider will reset primary to false for any
    // other existing values of addresses".
    let mut start = full_user();
    start["addresses"][0]["primary"] = json!(false);
    start["addresses"][1]["primary"] = json!(true);
    let out = ok(&start, &patch, &users());
    assert_eq!(out["addresses"][0]["primary"], true);
    assert_eq!(out["addresses"][1]["primary"], false);
    assert_eq!(out["addresses"][1]["streetAddress"], "456 Hollywood Blvd");
}

/// Section 3.5.2.3: replace one sub-attribute of the values a filter selects.
#[test]
fn rfc_replace_street_address() {
    let patch = patch_fixture("3.5.2.3-patch-replace-street-address-request.json");
    let out = ok(&full_user(), &patch, &users());
    let mut expected = full_user();
    expected["addresses"][0]["streetAddress"] = json!("1010 Broadway Ave");
    assert_eq!(out, expected);

    let typed: EUser = codec::from_value(full_user(), Context::Default).unwrap();
    let typed = patch::apply_to(&typed, &patch).unwrap();
    assert_eq!(
        typed.addresses[0].street_address.as_deref(),
        Some("1010 Broadway Ave")
    );
    assert_eq!(typed.addresses[0].locality.as_deref(), Some("Hollywood"));

    // No work address: noTarget.
    let mut start = full_user();
    start["addresses"][0]["type"] = json!("other");
    let e = fails(&start, &patch, &users());
    assert_eq!(e.kind(), PatchErrorKind::NoTarget);
}

/// Section 3.5.2.3: replace without a path; `emails` is replaced whole, `nickname` set.
#[test]
fn rfc_replace_emails_and_nickname() {
    let patch = patch_fixture("3.5.2.3-patch-replace-emails-nickname-request.json");
    let mut start = full_user();
    start["nickName"] = json!("Barbie");
    start["emails"] = json!([{"value": "old@example.com", "type": "other", "primary": true}]);
    let out = ok(&start, &patch, &users());
    assert_eq!(out["nickName"], "Babs");
    assert_eq!(out["emails"], op_value(&patch, 0)["emails"]);
    // "Note that other attributes are unaffected."
    let mut expected = start.clone();
    expected["nickName"] = json!("Babs");
    expected["emails"] = out["emails"].clone();
    assert_eq!(out, expected);
}

// ----- rules -------------------------------------------------------------------------------------

#[test]
fn failed_operation_leaves_resource_unchanged() {
    let start = full_user();
    let patch = PatchOp::new()
        .replace("displayName", "Babs")
        .remove(r#"emails[type eq "work"]"#)
        .replace(r#"phoneNumbers[type eq "fax"].value"#, "555-555-0000");
    let e = fails(&start, &patch, &users());
    assert_eq!(e.kind(), PatchErrorKind::NoTarget);
    assert_eq!(e.index(), 2);
    assert_eq!(e.op(), PatchOpKind::Replace);
    assert_eq!(e.path(), Some(r#"phoneNumbers[type eq "fax"].value"#));

    // The typed wrapper reports the patch error, which converts to the SCIM error a server
    // would send.
    let typed: EUser = codec::from_value(full_user(), Context::Default).unwrap();
    match patch::apply_to(&typed, &patch) {
        Err(Error::Patch(e)) => {
            let e = e.to_scim_error();
            assert_eq!(e.status, 400);
            assert_eq!(e.scim_type, Some(ScimType::NoTarget));
            assert!(e.detail.as_deref().unwrap().contains("Operations[2]"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn operations_run_in_order() {
    let patch = PatchOp::new()
        .add("title", "Guide")
        .replace("title", "Senior Guide")
        .remove("nickName")
        .add("nickName", "B");
    let out = ok(&full_user(), &patch, &users());
    assert_eq!(out["title"], "Senior Guide");
    assert_eq!(out["nickName"], "B");
    // An empty patch changes nothing.
    assert_eq!(ok(&full_user(), &PatchOp::new(), &users()), full_user());
}

#[test]
fn attribute_names_are_case_insensitive() {
    let patch: PatchOp = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "operations": [
            {"op": "Replace", "path": "NICKNAME", "value": "Babsy"},
            {"op": "ADD", "path": "Name.GIVENNAME", "value": "Barb"},
            {"op": "replace", "path": "EMAILS[TYPE eq \"Work\"].VALUE", "value": "barb@example.com"},
            {"op": "Remove", "path": "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:Title"},
            {"op": "add", "value": {"DisplayName": "B. Jensen", "ADDRESSES": [{"Type": "other", "LOCALITY": "Paris"}]}}
        ]
    }))
    .unwrap();
    let out = ok(&full_user(), &patch, &users());
    assert_eq!(out["nickName"], "Babsy");
    assert_eq!(out["name"]["givenName"], "Barb");
    assert_eq!(out["emails"][0]["value"], "barb@example.com");
    assert!(out.get("title").is_none());
    assert_eq!(out["displayName"], "B. Jensen");
    // Values are written with the schema's spelling.
    assert_eq!(
        out["addresses"][2],
        json!({"type": "other", "locality": "Paris"})
    );
    for key in ["NICKNAME", "nickname", "DisplayName", "ADDRESSES"] {
        assert!(out.get(key).is_none(), "{key}");
    }

    // A member spelled in another case in the resource is replaced, not duplicated.
    let start = json!({"userName": "x", "NickName": "old"});
    let out = ok(
        &start,
        &one(PatchOperation::replace("nickname", "new")),
        &users(),
    );
    assert_eq!(out, json!({"userName": "x", "nickName": "new"}));
}

#[test]
fn urn_paths_reach_extensions() {
    let start = json!({"schemas": [CORE_USER], "userName": "bjensen"});
    let patch = PatchOp::new()
        .add(format!("{ENTERPRISE}:employeeNumber"), "701984")
        .replace(format!("{ENTERPRISE}:manager.value"), "26118915")
        .add(format!("{CORE_USER}:name.familyName"), "Jensen");
    let out = ok(&start, &patch, &users());
    assert_eq!(
        out,
        json!({
            "schemas": [CORE_USER, ENTERPRISE],
            "userName": "bjensen",
            ENTERPRISE: {"employeeNumber": "701984", "manager": {"value": "26118915"}},
            "name": {"familyName": "Jensen"}
        })
    );
    let typed: EUser = codec::from_value(out.clone(), Context::Default).unwrap();
    let ext = typed.extension::<EnterpriseUser>().unwrap();
    assert_eq!(ext.employee_number.as_deref(), Some("701984"));

    // A path naming the extension takes an object of its attributes, merged.
    let out = ok(
        &out,
        &one(PatchOperation::add(
            ENTERPRISE.to_ascii_uppercase(),
            json!({"department": "Tours", "employeeNumber": "42"}),
        )),
        &users(),
    );
    assert_eq!(
        out[ENTERPRISE],
        json!({"employeeNumber": "42", "manager": {"value": "26118915"}, "department": "Tours"})
    );

    // Removing the last attribute removes the extension and its URN in `schemas`.
    let patch = PatchOp::new()
        .remove(format!("{ENTERPRISE}:employeeNumber"))
        .remove(format!("{ENTERPRISE}:manager"))
        .remove(format!("{ENTERPRISE}:department"));
    let emptied = ok(&out, &patch, &users());
    assert_eq!(
        emptied,
        json!({"schemas": [CORE_USER], "userName": "bjensen", "name": {"familyName": "Jensen"}})
    );
    // So does removing the extension by its URN.
    assert_eq!(
        ok(&out, &one(PatchOperation::remove(ENTERPRISE)), &users()),
        emptied
    );

    // An unqualified name only the extension defines resolves to it.
    let out = ok(
        &start,
        &one(PatchOperation::add("costCenter", "4130")),
        &users(),
    );
    assert_eq!(out[ENTERPRISE], json!({"costCenter": "4130"}));

    // Unknown schemas and attributes are invalid paths.
    for path in [
        "urn:example:params:scim:schemas:extension:acme:2.0:User:badge",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:shoeSize",
        "shoeSize",
        "name.nickname",
    ] {
        let e = fails(&start, &one(PatchOperation::add(path, "x")), &users());
        assert_eq!(e.kind(), PatchErrorKind::InvalidPath, "{path}: {e}");
    }
    // Without the extension in the schemas, its URN is unknown.
    let e = fails(
        &start,
        &one(PatchOperation::add(format!("{ENTERPRISE}:department"), "x")),
        &Schemas::of::<User>(),
    );
    assert_eq!(e.kind(), PatchErrorKind::InvalidPath);
}

/// Microsoft Entra ID sends capitalized ops, paths as keys of a no-path value, booleans as
/// strings, a manager as a bare id, and removes members with a `value`.
#[test]
fn entra_style_requests() {
    let patch: PatchOp = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "Replace", "value": {
                "name.givenName": "Ann",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "X",
                "active": "False",
                "emails[type eq \"work\"].value": "ann@example.com"
            }},
            {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": "26118915"}
        ]
    }))
    .unwrap();
    let out = ok(&full_user(), &patch, &users());
    assert_eq!(out["name"]["givenName"], "Ann");
    assert_eq!(out["name"]["familyName"], "Jensen");
    assert_eq!(out["active"], false);
    assert_eq!(out["emails"][0]["value"], "ann@example.com");
    assert_eq!(
        out[ENTERPRISE],
        json!({"department": "X", "manager": {"value": "26118915"}})
    );
    assert_eq!(out["schemas"], json!([CORE_USER, ENTERPRISE]));
    let typed: EUser = codec::from_value(out, Context::Default).unwrap();
    assert_eq!(typed.active, Some(false));

    let remove: PatchOp = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Remove", "path": "members", "value": [{"value": "2819c223-7f76-453a-919d-413861904646"}]}]
    }))
    .unwrap();
    let out = ok(&group(), &remove, &groups());
    assert_eq!(out["members"], json!([group()["members"][1].clone()]));

    // Any other `remove` with a value is refused.
    let e = fails(
        &full_user(),
        &one(PatchOperation::new(
            PatchOpKind::Remove,
            Some("title".into()),
            Some(json!("Tour Guide")),
        )),
        &users(),
    );
    assert_eq!(e.kind(), PatchErrorKind::InvalidValue);
}

#[test]
fn new_primary_demotes_the_others() {
    let add = one(PatchOperation::add(
        "emails",
        json!([{"value": "babs@example.org", "type": "other", "primary": true}]),
    ));
    let out = ok(&full_user(), &add, &users());
    assert_eq!(out["emails"][0]["primary"], false);
    assert_eq!(out["emails"][1].get("primary"), None);
    assert_eq!(out["emails"][2]["primary"], true);

    let promote = one(PatchOperation::replace(
        r#"emails[type eq "home"].primary"#,
        true,
    ));
    let out = ok(&full_user(), &promote, &users());
    assert_eq!(out["emails"][0]["primary"], false);
    assert_eq!(out["emails"][1]["primary"], true);

    // Two new primary values at once are refused.
    let two = one(PatchOperation::add(
        "emails",
        json!([{"value": "a@example.org", "primary": true}, {"value": "b@example.org", "primary": true}]),
    ));
    assert_eq!(
        fails(&full_user(), &two, &users()).kind(),
        PatchErrorKind::InvalidValue
    );
    let two = one(PatchOperation::replace(
        "emails",
        json!([{"value": "a@example.org", "primary": true}, {"value": "b@example.org", "primary": true}]),
    ));
    assert_eq!(
        fails(&full_user(), &two, &users()).kind(),
        PatchErrorKind::InvalidValue
    );
}

#[test]
fn read_only_targets_are_refused() {
    for op in [
        PatchOperation::replace("id", "other"),
        PatchOperation::remove("meta"),
        PatchOperation::replace("meta.lastModified", "2020-01-01T00:00:00Z"),
        PatchOperation::add("groups", json!([{"value": "x"}])),
        PatchOperation::remove(r#"groups[display eq "Employees"]"#),
        PatchOperation::replace(format!("{ENTERPRISE}:manager.displayName"), "Boss"),
        PatchOperation::add_to_resource(json!({"nickName": "ok", "id": "other"})),
    ] {
        let e = fails(&full_user(), &one(op.clone()), &users());
        assert_eq!(e.kind(), PatchErrorKind::Mutability, "{op:?}: {e}");
        assert!(e.message().contains("readOnly"), "{e}");
    }
    // A read-only sub-attribute inside a value is ignored, as in PUT.
    let out = ok(
        &full_user(),
        &one(PatchOperation::add(
            format!("{ENTERPRISE}:manager"),
            json!({"value": "26118915", "displayName": "Boss"}),
        )),
        &users(),
    );
    assert_eq!(out[ENTERPRISE]["manager"], json!({"value": "26118915"}));
}

#[test]
fn required_attributes_cannot_be_removed() {
    for op in [
        PatchOperation::remove("userName"),
        PatchOperation::replace("userName", Value::Null),
        PatchOperation::replace_in_resource(json!({"userName": null})),
    ] {
        let e = fails(&full_user(), &one(op), &users());
        assert_eq!(e.kind(), PatchErrorKind::Mutability, "{e}");
    }
    let e = fails(
        &group(),
        &one(PatchOperation::remove("displayName")),
        &groups(),
    );
    assert_eq!(e.kind(), PatchErrorKind::Mutability);
}

/// A schema discovered at run time (imported JSON), with an immutable attribute.
fn device_schema() -> SchemaDef {
    SchemaDef::from_json(&json!({
        "id": "urn:example:params:scim:schemas:2.0:Device",
        "name": "Device",
        "attributes": [
            {"name": "serialNumber", "type": "string", "mutability": "immutable", "caseExact": true},
            {"name": "label", "type": "string"},
            {"name": "ports", "type": "integer", "multiValued": true},
            {"name": "owner", "type": "complex", "subAttributes": [
                {"name": "value", "type": "string", "mutability": "immutable"},
                {"name": "display", "type": "string"}
            ]}
        ]
    }))
    .unwrap()
}

#[test]
fn immutable_attributes_and_dynamic_schemas() {
    let device = device_schema();
    let schemas = Schemas::new(&device, &[]);
    let start = json!({"label": "laptop"});

    // Added when absent; "replaced" with the same value; otherwise refused.
    let out = ok(
        &start,
        &one(PatchOperation::add("serialNumber", "X-1")),
        &schemas,
    );
    assert_eq!(out["serialNumber"], "X-1");
    assert_eq!(
        ok(
            &out,
            &one(PatchOperation::replace("SERIALNUMBER", "X-1")),
            &schemas
        ),
        out
    );
    for op in [
        PatchOperation::replace("serialNumber", "X-2"),
        PatchOperation::add("serialNumber", "X-2"),
        PatchOperation::remove("serialNumber"),
        PatchOperation::replace_in_resource(json!({"serialNumber": "X-2"})),
    ] {
        let e = fails(&out, &one(op), &schemas);
        assert_eq!(e.kind(), PatchErrorKind::Mutability, "{e}");
        assert!(e.message().contains("immutable"), "{e}");
    }

    // Immutable sub-attribute: set once, then fixed; its siblings stay writable.
    let out = ok(
        &out,
        &one(PatchOperation::add("owner", json!({"value": "u1"}))),
        &schemas,
    );
    let out = ok(
        &out,
        &one(PatchOperation::replace("owner.display", "Ann")),
        &schemas,
    );
    assert_eq!(out["owner"], json!({"value": "u1", "display": "Ann"}));
    let e = fails(
        &out,
        &one(PatchOperation::replace("owner", json!({"value": "u2"}))),
        &schemas,
    );
    assert_eq!(e.kind(), PatchErrorKind::Mutability);

    // Simple multi-valued values: add appends new ones, a `value` filter selects them.
    let out = ok(
        &out,
        &one(PatchOperation::add("ports", json!([22, 80]))),
        &schemas,
    );
    let out = ok(&out, &one(PatchOperation::add("ports", 80)), &schemas);
    assert_eq!(out["ports"], json!([22, 80]));
    let out = ok(
        &out,
        &one(PatchOperation::remove("ports[value eq 22]")),
        &schemas,
    );
    assert_eq!(out["ports"], json!([80]));
    let e = fails(&out, &one(PatchOperation::add("ports", "http")), &schemas);
    assert_eq!(e.kind(), PatchErrorKind::InvalidValue);
}

#[test]
fn malformed_operations() {
    let user = full_user();
    let cases: Vec<(PatchOperation, PatchErrorKind)> = vec![
        (
            PatchOperation::new(PatchOpKind::Remove, None, None),
            PatchErrorKind::NoTarget,
        ),
        (
            PatchOperation::new(PatchOpKind::Add, Some("title".into()), None),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::add("title", Value::Null),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::new(PatchOpKind::Replace, Some("title".into()), None),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::add_to_resource("title"),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::add("emails[", "x"),
            PatchErrorKind::InvalidPath,
        ),
        (
            PatchOperation::add(r#"title[value eq "x"]"#, "x"),
            PatchErrorKind::InvalidPath,
        ),
        (
            PatchOperation::add("name.nick", "x"),
            PatchErrorKind::InvalidPath,
        ),
        (
            PatchOperation::add("active", 3),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::add("userName", true),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::add("name", "Babs"),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::add("title", json!(["a", "b"])),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::add(r#"emails[type eq "fax"].value"#, "x"),
            PatchErrorKind::NoTarget,
        ),
        (
            PatchOperation::replace(r#"emails[type eq "fax"]"#, json!({"value": "x"})),
            PatchErrorKind::NoTarget,
        ),
    ];
    for (op, kind) in cases {
        let e = fails(&user, &one(op.clone()), &users());
        assert_eq!(e.kind(), kind, "{op:?}: {e}");
        assert_eq!(e.kind().scim_type(), e.to_scim_error().scim_type.unwrap());
    }

    // Removing what is not there is not an error.
    let out = ok(
        &user,
        &PatchOp::new()
            .remove("nickName")
            .remove("nickName")
            .remove(r#"emails[type eq "fax"]"#),
        &users(),
    );
    assert!(out.get("nickName").is_none());

    let e = fails(&json!([]), &one(PatchOperation::remove("title")), &users());
    assert_eq!(e.kind(), PatchErrorKind::InvalidValue);

    let e = fails(&user, &one(PatchOperation::remove("id")), &users());
    assert_eq!(
        e.to_string(),
        "Operations[0] (remove `id`): mutability: `id` is readOnly"
    );
    let scim = e.to_scim_error();
    assert_eq!(scim.status, 400);
    assert_eq!(scim.scim_type, Some(ScimType::Mutability));
}

// ----- diff --------------------------------------------------------------------------------------

fn ops_json(patch: &PatchOp) -> Value {
    serde_json::to_value(patch).unwrap()["Operations"].clone()
}

#[test]
fn diff_produces_targeted_operations() {
    let old = full_user();
    let mut new = full_user();
    new["id"] = json!("changed-but-read-only");
    new["meta"] = json!({"resourceType": "User"});
    new["groups"] = json!([]);
    new["title"] = json!("Head Guide");
    new.as_object_mut().unwrap().remove("nickName");
    new["name"]["givenName"] = json!("Babs");
    new["name"].as_object_mut().unwrap().remove("middleName");
    new["emails"][1] = json!({"value": "babs@example.org", "type": "home"});
    new["active"] = json!(false);
    new[ENTERPRISE] = json!({"department": "Tours"});
    let ops = patch::diff(&old, &new, &users());
    assert_eq!(
        ops_json(&ops),
        json!([
            {"op": "replace", "path": "name.givenName", "value": "Babs"},
            {"op": "remove", "path": "name.middleName"},
            {"op": "remove", "path": "nickName"},
            {"op": "replace", "path": "title", "value": "Head Guide"},
            {"op": "replace", "path": "active", "value": false},
            {"op": "remove", "path": "emails[value eq \"babs@jensen.org\"]"},
            {"op": "add", "path": "emails", "value": [{"value": "babs@example.org", "type": "home"}]},
            {"op": "add", "path": format!("{ENTERPRISE}:department"), "value": "Tours"},
        ])
    );
    let out = ok(&old, &ops, &users());
    let mut expected = new.clone();
    for key in ["id", "meta", "groups"] {
        expected[key] = old[key].clone();
    }
    expected["schemas"] = json!([CORE_USER, ENTERPRISE]);
    assert_eq!(out, expected);

    // Nothing to do.
    assert!(patch::diff(&old, &old, &users()).operations.is_empty());
}

#[test]
fn diff_filter_values_cannot_change_the_filter() {
    let nasty = r#"x" or value pr or value eq "y"#;
    let old = json!({"userName": "u", "emails": [
        {"value": nasty},
        {"value": "y"},
        {"value": "keep@example.com"}
    ]});
    let new = json!({"userName": "u", "emails": [{"value": "y"}, {"value": "keep@example.com"}]});
    let ops = patch::diff(&old, &new, &users());
    assert_eq!(ops.operations.len(), 1);
    let path = ops.operations[0].path.clone().unwrap();
    let parsed = PatchPath::parse(&path).unwrap();
    match parsed.value_filter().unwrap() {
        Filter::Compare { value, .. } => assert_eq!(value, &CompValue::String(nasty.to_owned())),
        other => panic!("{other:?}"),
    }
    assert_eq!(ok(&old, &ops, &users())["emails"], new["emails"]);
}

#[test]
fn diff_falls_back_to_replacing_lists() {
    let schemas = users();
    let cases = [
        // Reordered.
        (
            json!([{"value": "a"}, {"value": "b"}]),
            json!([{"value": "b"}, {"value": "a"}]),
        ),
        // Values a case-insensitive filter cannot tell apart.
        (
            json!([{"value": "A@x.com"}, {"value": "a@x.com"}]),
            json!([{"value": "a@x.com"}]),
        ),
        // No `value` to filter on.
        (
            json!([{"type": "work"}, {"value": "a"}]),
            json!([{"value": "a"}]),
        ),
        // Nothing kept.
        (json!([{"value": "a"}]), json!([{"value": "b"}])),
        // Duplicates.
        (
            json!([{"value": "a"}]),
            json!([{"value": "a"}, {"value": "b"}, {"value": "b"}]),
        ),
    ];
    for (old, new) in cases {
        let old = json!({"userName": "u", "emails": old});
        let new = json!({"userName": "u", "emails": new});
        let ops = patch::diff(&old, &new, &schemas);
        assert_eq!(
            ops_json(&ops),
            json!([{"op": "replace", "path": "emails", "value": new["emails"]}])
        );
        assert_eq!(ok(&old, &ops, &schemas), new);
    }
}

#[test]
fn typed_diff_and_apply() {
    let old: EUser = codec::from_value(full_user(), Context::Default).unwrap();
    let mut new = old.clone();
    new.display_name = Some("Barbara Jensen".into());
    new.name.as_mut().unwrap().family_name = None;
    new.emails.push(Email {
        value: Some("b@example.org".into()),
        type_: Some("other".into()),
        ..Email::default()
    });
    new.extensions.insert(EnterpriseUser {
        employee_number: Some("701984".into()),
        ..EnterpriseUser::default()
    });
    let ops = patch::diff_resources(&old, &new).unwrap();
    assert_eq!(ops.operations.len(), 4, "{:#}", ops_json(&ops));
    let patched = patch::apply_to(&old, &ops).unwrap();
    assert_eq!(patched, new);
    assert_eq!(
        patched.schemas(),
        [CORE_USER.to_owned(), ENTERPRISE.to_owned()]
    );
}

// ----- property: apply(old, diff(old, new)) == new -----------------------------------------------

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-cA-C]{1,3}",
        1 => Just(r#"x" or value pr or ""#.to_owned()),
        1 => Just("a]b[c.d".to_owned()),
        1 => Just("é\\\"\n\t".to_owned()),
        2 => "\\PC{0,8}",
    ]
}

fn email_value() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-f]{1,2}@x\\.com",
        1 => "[A-F]@x\\.com",
        1 => Just(r#"q" or value pr or "@x.com"#.to_owned()),
        1 => "\\PC{1,6}",
    ]
}

fn email() -> impl Strategy<Value = Email> {
    (
        prop::option::weighted(0.95, email_value()),
        prop::option::of(prop_oneof![Just("work"), Just("home"), Just("other")]),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(value, type_, primary)| Email {
            value,
            type_: type_.map(str::to_owned),
            primary,
            ..Email::default()
        })
}

fn emails() -> impl Strategy<Value = Vec<Email>> {
    prop::collection::vec(email(), 0..5).prop_map(|mut emails| {
        // At most one primary.
        let mut seen = false;
        for e in &mut emails {
            if e.primary == Some(true) {
                if seen {
                    e.primary = Some(false);
                }
                seen = true;
            }
        }
        emails
    })
}

fn name() -> impl Strategy<Value = Option<Name>> {
    prop::option::of(
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        )
            .prop_map(|(given_name, family_name, formatted)| Name {
                given_name,
                family_name,
                formatted,
                ..Name::default()
            }),
    )
}

fn enterprise() -> impl Strategy<Value = Option<EnterpriseUser>> {
    prop::option::of(
        (prop::option::of(text()), prop::option::of(text())).prop_map(
            |(employee_number, department)| EnterpriseUser {
                employee_number,
                department,
                ..EnterpriseUser::default()
            },
        ),
    )
}

prop_compose! {
    fn user()(
        user_name in text(),
        display_name in prop::option::of(text()),
        nick_name in prop::option::of(text()),
        title in prop::option::of(text()),
        active in prop::option::of(any::<bool>()),
        name in name(),
        emails in emails(),
        enterprise in enterprise(),
    ) -> EUser {
        let mut user = EUser::new(user_name);
        user.display_name = display_name;
        user.nick_name = nick_name;
        user.title = title;
        user.active = active;
        user.name = name;
        user.emails = emails;
        if let Some(ext) = enterprise {
            user.extensions.insert(ext);
        }
        user
    }
}

/// Two users: unrelated, or the second an edit of the first (some attributes taken from
/// another user, some emails dropped, others appended), so that value-by-value list updates
/// are exercised as well as whole replacements.
fn user_pair() -> impl Strategy<Value = (EUser, EUser)> {
    (
        user(),
        user(),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 9),
        prop::collection::vec(any::<bool>(), 5),
    )
        .prop_map(|(old, other, related, take, keep)| {
            if !related {
                return (old, other);
            }
            let mut new = old.clone();
            if take[0] {
                new.user_name.clone_from(&other.user_name);
            }
            if take[1] {
                new.display_name.clone_from(&other.display_name);
            }
            if take[2] {
                new.nick_name.clone_from(&other.nick_name);
            }
            if take[3] {
                new.title.clone_from(&other.title);
            }
            if take[4] {
                new.active = other.active;
            }
            if take[5] {
                new.name.clone_from(&other.name);
            }
            if take[6] {
                new.extensions.clone_from(&other.extensions);
            }
            let mut kept: Vec<Email> = old
                .emails
                .iter()
                .zip(keep.iter().chain(std::iter::repeat(&true)))
                .filter(|(_, k)| **k)
                .map(|(e, _)| e.clone())
                .collect();
            let has_primary = kept.iter().any(|e| e.primary == Some(true));
            kept.extend(other.emails.iter().cloned().map(|mut e| {
                if has_primary && e.primary == Some(true) {
                    e.primary = None;
                }
                e
            }));
            if take[7] && take[8] {
                kept.reverse();
            }
            new.emails = kept;
            (old, new)
        })
}

/// The writable attributes of a user's JSON.
fn writable(mut value: Value) -> Value {
    let obj = value.as_object_mut().unwrap();
    for key in ["id", "meta", "schemas", "groups"] {
        obj.remove(key);
    }
    value
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn apply_of_diff_gives_the_new_state((old, new) in user_pair(), with_id in any::<bool>()) {
        let mut old = old;
        if with_id {
            old.id = Some("2819c223".into()); // read-only: never in a diff
        }
        let schemas = users();
        let old_json = codec::to_value(&old, Context::Default).unwrap();
        let new_json = codec::to_value(&new, Context::Default).unwrap();

        let ops = patch::diff(&old_json, &new_json, &schemas);
        for path in ops.operations.iter().filter_map(|op| op.path.as_deref()) {
            // Every path the diff writes parses.
            prop_assert!(PatchPath::parse(path).is_ok(), "{}", path);
        }
        let mut patched = old_json.clone();
        patch::apply(&mut patched, &ops, &schemas)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{:#}", ops_json(&ops))))?;
        prop_assert_eq!(writable(patched), writable(new_json.clone()), "{:#}", ops_json(&ops));

        // The typed wrappers agree.
        let typed = patch::apply_to(&old, &patch::diff_resources(&old, &new).unwrap()).unwrap();
        prop_assert_eq!(
            writable(codec::to_value(&typed, Context::Default).unwrap()),
            writable(new_json.clone())
        );
        prop_assert_eq!(typed.id.as_deref(), old.id.as_deref());

        // No change, no operation.
        prop_assert!(patch::diff(&new_json, &new_json, &schemas).operations.is_empty());
    }
}

#[test]
fn schemas_of_resource_types() {
    let schemas = Schemas::of::<EUser>();
    assert_eq!(schemas.core().id, CORE_USER);
    assert_eq!(schemas.extensions().len(), 1);
    assert!(
        schemas
            .extension(&ENTERPRISE.to_ascii_lowercase())
            .is_some()
    );
    assert!(Schemas::of::<User>().extensions().is_empty());
    assert_eq!(
        Schemas::new(EUser::SCHEMA, &[<EnterpriseUser as Extension>::SCHEMA]).extensions()[0].id,
        ENTERPRISE
    );
}
