//! What both benches share: plain `serde_derive` structs of the RFC 7643 section 8.3 user
//! shape (the baseline) and a deterministic generator of such users as JSON.
//!
//! Included by `parse.rs` and `client.rs` with `mod common;`.

#![allow(dead_code)]

use std::fmt::Write as _;

/// The core User schema URN.
pub(crate) const CORE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The enterprise extension URN.
pub(crate) const ENTERPRISE_URN: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Plain serde structs of the same shape: no case-insensitivity, no validation, no SCIM rules.
/// Field order follows what `scim-client` writes, so both produce the same bytes.
// The field names are the SCIM attribute names (`userName` in `User`, `familyName` in `Name`).
#[allow(clippy::struct_field_names)]
pub(crate) mod baseline {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct ListResponse {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) schemas: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) total_results: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) items_per_page: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) start_index: Option<u64>,
        #[serde(rename = "Resources", default)]
        pub(crate) resources: Vec<User>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct User {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) schemas: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) external_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) meta: Option<Meta>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) user_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) name: Option<Name>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) display_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) nick_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) profile_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) title: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) user_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) preferred_language: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) locale: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) timezone: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) active: Option<bool>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) emails: Vec<Email>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) phone_numbers: Vec<PhoneNumber>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) addresses: Vec<Address>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) groups: Vec<Group>,
        #[serde(
            rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            skip_serializing_if = "Option::is_none"
        )]
        pub(crate) enterprise: Option<Enterprise>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Name {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) formatted: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) family_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) given_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) middle_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) honorific_prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) honorific_suffix: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Email {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) value: Option<String>,
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        pub(crate) type_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) primary: Option<bool>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct PhoneNumber {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) value: Option<String>,
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        pub(crate) type_: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Address {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) formatted: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) street_address: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) locality: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) region: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) postal_code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) country: Option<String>,
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        pub(crate) type_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) primary: Option<bool>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Group {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) value: Option<String>,
        #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
        pub(crate) ref_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) display: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Enterprise {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) employee_number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) cost_center: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) organization: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) division: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) department: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) manager: Option<Manager>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Manager {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) value: Option<String>,
        #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
        pub(crate) ref_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) display_name: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Meta {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) resource_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) created: Option<jiff::Timestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) last_modified: Option<jiff::Timestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) location: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) version: Option<String>,
    }

    /// `Option::is_none` through a reference, for the views' `skip_serializing_if`.
    #[allow(clippy::ref_option_ref, clippy::trivially_copy_pass_by_ref)]
    fn none<T>(v: &&Option<T>) -> bool {
        v.is_none()
    }

    #[allow(clippy::ptr_arg, clippy::trivially_copy_pass_by_ref)]
    fn empty<T>(v: &&Vec<T>) -> bool {
        v.is_empty()
    }

    /// What a hand-written `serde_derive` model does to write a create request from a user it
    /// holds: a view of the same data that leaves the read-only attributes out (`id`, `meta`,
    /// `groups`, `manager.displayName`). Same bytes as [`User::create_shape`], from the same
    /// memory as the full user.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct CreateView<'a> {
        #[serde(skip_serializing_if = "empty")]
        schemas: &'a Vec<String>,
        #[serde(skip_serializing_if = "none")]
        external_id: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        user_name: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        name: &'a Option<Name>,
        #[serde(skip_serializing_if = "none")]
        display_name: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        nick_name: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        profile_url: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        title: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        user_type: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        preferred_language: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        locale: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        timezone: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        active: &'a Option<bool>,
        #[serde(skip_serializing_if = "empty")]
        emails: &'a Vec<Email>,
        #[serde(skip_serializing_if = "empty")]
        phone_numbers: &'a Vec<PhoneNumber>,
        #[serde(skip_serializing_if = "empty")]
        addresses: &'a Vec<Address>,
        #[serde(
            rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            skip_serializing_if = "Option::is_none"
        )]
        enterprise: Option<EnterpriseCreateView<'a>>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct EnterpriseCreateView<'a> {
        #[serde(skip_serializing_if = "none")]
        employee_number: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        cost_center: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        organization: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        division: &'a Option<String>,
        #[serde(skip_serializing_if = "none")]
        department: &'a Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        manager: Option<ManagerCreateView<'a>>,
    }

    #[derive(Serialize)]
    pub(crate) struct ManagerCreateView<'a> {
        #[serde(skip_serializing_if = "none")]
        value: &'a Option<String>,
        #[serde(rename = "$ref", skip_serializing_if = "none")]
        ref_: &'a Option<String>,
    }

    impl User {
        /// The create-request view of this user (see [`CreateView`]).
        pub(crate) fn create_view(&self) -> CreateView<'_> {
            CreateView {
                schemas: &self.schemas,
                external_id: &self.external_id,
                user_name: &self.user_name,
                name: &self.name,
                display_name: &self.display_name,
                nick_name: &self.nick_name,
                profile_url: &self.profile_url,
                title: &self.title,
                user_type: &self.user_type,
                preferred_language: &self.preferred_language,
                locale: &self.locale,
                timezone: &self.timezone,
                active: &self.active,
                emails: &self.emails,
                phone_numbers: &self.phone_numbers,
                addresses: &self.addresses,
                enterprise: self.enterprise.as_ref().map(|e| EnterpriseCreateView {
                    employee_number: &e.employee_number,
                    cost_center: &e.cost_center,
                    organization: &e.organization,
                    division: &e.division,
                    department: &e.department,
                    manager: e.manager.as_ref().map(|m| ManagerCreateView {
                        value: &m.value,
                        ref_: &m.ref_,
                    }),
                }),
            }
        }

        /// The same user without what a create request leaves out (the read-only attributes).
        pub(crate) fn create_shape(&self) -> Self {
            let mut u = self.clone();
            u.id = None;
            u.meta = None;
            u.groups.clear();
            if let Some(m) = u.enterprise.as_mut().and_then(|e| e.manager.as_mut()) {
                m.display_name = None;
            }
            u
        }
    }
}

/// A JSON string literal (escaped).
pub(crate) fn lit(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// A deterministic UUID-like id for `kind` and index `i`.
pub(crate) fn uuid(kind: u32, i: usize) -> String {
    let i = i as u64;
    format!(
        "{kind:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (i >> 16) & 0xffff,
        i & 0xfff,
        (i * 7) & 0xfff,
        i.wrapping_mul(0x9E37_79B9_7F4A_7C15) & 0xffff_ffff_ffff
    )
}

/// The version (`meta.version`, `ETag`) of user `i`.
pub(crate) fn version(i: usize) -> String {
    format!("W/\"{:016x}\"", (i as u64).wrapping_mul(0x9E37_79B9))
}

/// Appends user `i` as JSON, in the order and shape of RFC 7643 section 8.3; without
/// `meta.version` unless `with_version` (the version is then only in the `ETag` header).
pub(crate) fn write_user(out: &mut String, i: usize, with_version: bool) {
    let id = uuid(0x2819_c223, i);
    let manager = uuid(0x2611_8915, i / 10);
    let group = uuid(0xe9e3_0dba, i % 50);
    let given = format!("Barbara{i}");
    let family = format!("Jensen{i}");
    let user_name = format!("bjensen{i}@example.com");
    let street = format!("{} Universal City Plaza", 100 + i);
    let postal = format!("{:05}", 91_608 + i % 1000);
    let formatted_addr = format!("{street}\nHollywood, CA {postal} USA");
    let (sec, min) = (i % 60, (i / 60) % 60);
    write!(
        out,
        r#"{{"schemas":[{core},{ent}],"id":{id},"externalId":{ext},"userName":{un},"#,
        core = lit(CORE_URN),
        ent = lit(ENTERPRISE_URN),
        id = lit(&id),
        ext = lit(&format!("{}", 701_984 + i)),
        un = lit(&user_name),
    )
    .unwrap();
    write!(
        out,
        r#""name":{{"formatted":{f},"familyName":{fam},"givenName":{giv},"middleName":"Jane","honorificPrefix":"Ms.","honorificSuffix":"III"}},"#,
        f = lit(&format!("Ms. {given} J {family}, III")),
        fam = lit(&family),
        giv = lit(&given),
    )
    .unwrap();
    write!(
        out,
        r#""displayName":{dn},"nickName":{nn},"profileUrl":{pu},"#,
        dn = lit(&format!("Babs {family}")),
        nn = lit(&format!("Babs{i}")),
        pu = lit(&format!("https://login.example.com/bjensen{i}")),
    )
    .unwrap();
    write!(
        out,
        r#""emails":[{{"value":{e1},"type":"work","primary":true}},{{"value":{e2},"type":"home"}}],"#,
        e1 = lit(&user_name),
        e2 = lit(&format!("babs{i}@jensen.org")),
    )
    .unwrap();
    write!(
        out,
        r#""addresses":[{{"type":"work","streetAddress":{st},"locality":"Hollywood","region":"CA","postalCode":{pc},"country":"USA","formatted":{fa},"primary":true}}],"#,
        st = lit(&street),
        pc = lit(&postal),
        fa = lit(&formatted_addr),
    )
    .unwrap();
    write!(
        out,
        r#""phoneNumbers":[{{"value":{p1},"type":"work"}},{{"value":{p2},"type":"mobile"}}],"#,
        p1 = lit(&format!("555-555-{:04}", i % 10_000)),
        p2 = lit(&format!("555-444-{:04}", (i * 7) % 10_000)),
    )
    .unwrap();
    write!(
        out,
        r#""groups":[{{"value":{gv},"$ref":{gr},"display":{gd}}}],"#,
        gv = lit(&group),
        gr = lit(&format!("../Groups/{group}")),
        gd = lit(&format!("Tour Guides {}", i % 50)),
    )
    .unwrap();
    write!(
        out,
        r#""userType":"Employee","title":"Tour Guide","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","active":{active},"#,
        active = !i.is_multiple_of(7),
    )
    .unwrap();
    write!(
        out,
        r#"{urn}:{{"employeeNumber":{en},"costCenter":{cc},"organization":"Universal Studios","division":"Theme Park","department":{dep},"manager":{{"value":{mv},"$ref":{mr},"displayName":{md}}}}},"#,
        urn = lit(ENTERPRISE_URN),
        en = lit(&format!("{}", 701_984 + i)),
        cc = lit(&format!("{}", 4130 + i % 20)),
        dep = lit(&format!("Tour Operations {}", i % 30)),
        mv = lit(&manager),
        mr = lit(&format!("../Users/{manager}")),
        md = lit(&format!("John Smith{}", i / 10)),
    )
    .unwrap();
    let v = if with_version {
        format!(r#""version":{},"#, lit(&version(i)))
    } else {
        String::new()
    };
    write!(
        out,
        r#""meta":{{"resourceType":"User","created":"2010-01-23T04:{min:02}:{sec:02}Z","lastModified":"2011-05-13T04:{min:02}:{sec:02}Z",{v}"location":{loc}}}}}"#,
        loc = lit(&format!("https://example.com/v2/Users/{id}")),
    )
    .unwrap();
}
