//! Wrong JSON types for every SCIM type (string, boolean, decimal, integer, dateTime, binary,
//! reference, complex, multi-valued), numbers out of range, huge and deep values, duplicate
//! keys: a decode error at the JSON path of the offending value.

use super::common::{
    CORE, ENTERPRISE, Expect, LIST, cases, config, enterprise, group, page, page_json, reading,
    scim, user, user_json, with,
};
use scim_client::client::SCIM_JSON;
use serde_json::json;

use super::common::raw;

cases! {
    // string
    string_given_a_number: Get, user(&json!({"userName": 42})) => Expect::Decode("User", "userName");
    string_given_a_boolean: Get, user(&json!({"displayName": true})) => Expect::Decode("User", "displayName");
    string_given_an_object: Get, user(&json!({"title": {"text": "Tour Guide"}})) => Expect::Decode("User", "title");
    string_given_an_array: Get, user(&json!({"nickName": ["Babs"]})) => Expect::Decode("User", "nickName");
    string_in_a_complex_given_a_number: Get, user(&json!({"name": {"givenName": 7}})) => Expect::Decode("User", "name.givenName");
    group_display_name_given_a_number: GetGroup, group(&json!({"displayName": 1.5})) => Expect::Decode("Group", "displayName");
    id_given_a_number: Get, user(&json!({"id": 1})) => Expect::Decode("User", "id");
    // boolean
    boolean_given_a_string: Get, user(&json!({"active": "true"})) => Expect::Decode("User", "active");
    boolean_given_a_number: Get, user(&json!({"active": 1})) => Expect::Decode("User", "active");
    boolean_in_a_multi_valued_complex: Get, user(&json!({"emails": [{"value": "a@example.com"}, {"value": "b@example.com", "primary": "yes"}]})) => Expect::Decode("User", "emails[1].primary");
    boolean_in_the_config_given_a_string: Config, config(&json!({"etag": {"supported": "true"}})) => Expect::Decode("ServiceProviderConfig", "etag.supported");
    boolean_in_a_resource_type_extension: ResourceTypes, super::common::resource_types(&json!({"schemaExtensions": [{"schema": ENTERPRISE, "required": "no"}]})) => Expect::Decode("ListResponse", "Resources[0].schemaExtensions[0].required");
    // decimal
    decimal_given_a_string: GetReading, reading(&json!({"value": "1.5"})) => Expect::Decode("Reading", "value");
    decimal_given_a_boolean: GetReading, reading(&json!({"value": false})) => Expect::Decode("Reading", "value");
    decimal_beyond_f64: GetReading, raw(200, r#"{"id":"r1","value":1e400}"#, SCIM_JSON) => Expect::Decode("Reading", "value");
    decimal_given_an_integer_is_fine: GetReading, reading(&json!({"value": 3})) => Expect::OkWith("value: Some(3.0)");
    // integer
    integer_given_a_float: GetReading, reading(&json!({"count": 2.5})) => Expect::Decode("Reading", "count");
    integer_given_a_string: GetReading, reading(&json!({"count": "2"})) => Expect::Decode("Reading", "count");
    integer_beyond_i64: GetReading, raw(200, r#"{"id":"r1","count":9223372036854775808}"#, SCIM_JSON) => Expect::Decode("Reading", "count");
    integer_beyond_u64: GetReading, raw(200, r#"{"id":"r1","count":123456789012345678901234567890}"#, SCIM_JSON) => Expect::Decode("Reading", "count");
    integer_with_an_exponent: GetReading, raw(200, r#"{"id":"r1","count":1e3}"#, SCIM_JSON) => Expect::Decode("Reading", "count");
    integer_in_the_config_given_a_float: Config, config(&json!({"bulk": {"supported": true, "maxOperations": 1.5}})) => Expect::Decode("ServiceProviderConfig", "bulk.maxOperations");
    integer_in_the_config_beyond_i64: Config, raw(200, r#"{"bulk":{"supported":true,"maxPayloadSize":99999999999999999999}}"#, SCIM_JSON) => Expect::Decode("ServiceProviderConfig", "bulk.maxPayloadSize");
    integer_in_the_config_given_a_string: Config, config(&json!({"filter": {"supported": true, "maxResults": "100"}})) => Expect::Decode("ServiceProviderConfig", "filter.maxResults");
    // dateTime
    date_time_in_prose: Get, user(&json!({"meta": {"lastModified": "yesterday"}})) => Expect::Decode("User", "meta.lastModified");
    date_time_given_a_number: Get, user(&json!({"meta": {"created": 1_312_234_364}})) => Expect::Decode("User", "meta.created");
    date_time_with_a_month_13: GetReading, reading(&json!({"taken": "2011-13-01T21:32:44Z"})) => Expect::Decode("Reading", "taken");
    date_time_in_a_group_meta: GetGroup, group(&json!({"meta": {"created": true}})) => Expect::Decode("Group", "meta.created");
    // binary
    binary_that_is_not_base64: Get, user(&json!({"x509Certificates": [{"value": "not base64!*"}]})) => Expect::Decode("User", "x509Certificates[0].value");
    binary_given_a_number: GetReading, reading(&json!({"blob": 12})) => Expect::Decode("Reading", "blob");
    binary_given_an_array_of_bytes: GetReading, reading(&json!({"blob": [1, 2, 3]})) => Expect::Decode("Reading", "blob");
    // reference
    reference_given_a_number: Get, user(&json!({"profileUrl": 5})) => Expect::Decode("User", "profileUrl");
    reference_given_an_object: GetGroup, group(&json!({"members": [{"value": "1", "$ref": {"href": "/Users/1"}}]})) => Expect::Decode("Group", "members[0].$ref");
    reference_in_meta_given_an_array: Get, user(&json!({"meta": {"location": ["/Users/1"]}})) => Expect::Decode("User", "meta.location");
    reference_in_a_resource_type_given_a_boolean: ResourceTypes, super::common::resource_types(&json!({"endpoint": true})) => Expect::Decode("ListResponse", "Resources[0].endpoint");
    reference_in_the_enterprise_manager: GetEnterprise, enterprise(&json!({"manager": {"value": "9", "$ref": 9}})) => Expect::DecodeIn("User", ENTERPRISE);
    // complex
    complex_given_a_string: Get, user(&json!({"name": "Barbara Jensen"})) => Expect::Decode("User", "name");
    complex_meta_given_a_string: Get, user(&json!({"meta": "v1"})) => Expect::Decode("User", "meta");
    complex_in_the_config_given_a_boolean: Config, config(&json!({"patch": true})) => Expect::Decode("ServiceProviderConfig", "patch");
    enterprise_extension_given_a_string: GetEnterprise, scim(200, &json!({"schemas": [CORE, ENTERPRISE], "id": "1", "userName": "b", ENTERPRISE: "E-1"})) => Expect::DecodeIn("User", ENTERPRISE);
    enterprise_manager_given_a_string: GetEnterprise, enterprise(&json!({"manager": "the boss"})) => Expect::DecodeIn("User", ENTERPRISE);
    // multi-valued
    multi_valued_given_a_scalar: Get, user(&json!({"emails": "b@example.com"})) => Expect::Decode("User", "emails");
    multi_valued_of_strings_instead_of_objects: Get, user(&json!({"emails": ["b@example.com"]})) => Expect::Decode("User", "emails[0]");
    multi_valued_members_given_a_string: GetGroup, group(&json!({"members": "1,2,3"})) => Expect::Decode("Group", "members");
    multi_valued_strings_given_a_string: GetReading, reading(&json!({"tags": "a,b"})) => Expect::Decode("Reading", "tags");
    multi_valued_in_the_config_given_an_object: Config, config(&json!({"authenticationSchemes": {"type": "oauthbearertoken"}})) => Expect::Decode("ServiceProviderConfig", "authenticationSchemes");
    multi_valued_schema_attributes_given_a_string: Schemas, super::common::schemas_page(&json!({"attributes": "userName"})) => Expect::Decode("ListResponse", "Resources[0].attributes");
    schema_attribute_flag_given_a_string: Schemas, super::common::schemas_page(&json!({"attributes": [{"name": "userName", "type": "string", "multiValued": "no"}]})) => Expect::Decode("ListResponse", "Resources[0].attributes[0].multiValued");
    // list messages
    total_results_given_a_string: List, page(&json!({"totalResults": "2"})) => Expect::Decode("ListResponse", "totalResults");
    total_results_negative: List, page(&json!({"totalResults": -1})) => Expect::Decode("ListResponse", "totalResults");
    total_results_as_a_float: List, page(&json!({"totalResults": 2.0})) => Expect::Decode("ListResponse", "totalResults");
    items_per_page_beyond_u64: List, raw(200, r#"{"itemsPerPage":18446744073709551616,"Resources":[]}"#, SCIM_JSON) => Expect::Decode("ListResponse", "itemsPerPage");
    start_index_negative: ListGroup, scim(200, &page_json(&[], &json!({"startIndex": -5}))) => Expect::Decode("ListResponse", "startIndex");
    resources_given_an_object: List, page(&json!({"Resources": {"id": "u1"}})) => Expect::Decode("ListResponse", "Resources");
    resources_holding_a_number: List, page(&json!({"Resources": [user_json("u1", "a"), 7]})) => Expect::Decode("ListResponse", "Resources[1]");
    resource_in_a_list_with_a_wrong_type: Search, page(&json!({"Resources": [user_json("u1", "a"), with(user_json("u2", "b"), &json!({"active": "no"}))]})) => Expect::Decode("ListResponse", "Resources[1].active");
    next_cursor_given_a_number: List, page(&json!({"nextCursor": 2})) => Expect::Decode("ListResponse", "nextCursor");

    // Duplicate keys, in any case: refused, naming the attribute.
    duplicate_key_in_another_case: Get, raw(200, r#"{"id":"1","userName":"bjensen","USERNAME":"mallory"}"#, SCIM_JSON) => Expect::DecodeSays("User", "duplicate");
    exact_duplicate_key: Get, raw(200, r#"{"id":"1","userName":"bjensen","userName":"mallory"}"#, SCIM_JSON) => Expect::DecodeSays("User", "duplicate");
    duplicate_key_in_a_complex: Get, raw(200, r#"{"id":"1","userName":"b","name":{"givenName":"B","GivenName":"M"}}"#, SCIM_JSON) => Expect::DecodeIn("User", "name");
    duplicate_id_in_a_group: GetGroup, raw(200, r#"{"id":"g1","ID":"g2","displayName":"x"}"#, SCIM_JSON) => Expect::DecodeSays("Group", "duplicate");
    duplicate_total_results: List, raw(200, format!(r#"{{"schemas":["{LIST}"],"totalResults":1,"TotalResults":1000,"Resources":[]}}"#), SCIM_JSON) => Expect::DecodeSays("ListResponse", "duplicate");
    duplicate_resources_key: List, raw(200, r#"{"Resources":[{"id":"u1"}],"resources":[{"id":"u2"}]}"#, SCIM_JSON) => Expect::DecodeSays("ListResponse", "duplicate");
    duplicate_extension_urn_in_another_case: GetEnterprise, raw(200, format!(r#"{{"id":"1","userName":"b","{ENTERPRISE}":{{"employeeNumber":"1"}},"{}":{{"employeeNumber":"2"}}}}"#, ENTERPRISE.to_ascii_uppercase()), SCIM_JSON) => Expect::DecodeSays("User", "duplicate");
    duplicate_config_member: Config, raw(200, r#"{"etag":{"supported":true},"ETag":{"supported":false}}"#, SCIM_JSON) => Expect::DecodeSays("ServiceProviderConfig", "duplicate");
}
