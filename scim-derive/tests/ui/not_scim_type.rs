// The first error points at the field type. KNOWN ISSUE: two copies point at the derive
// (calls spanned at the call site in expand.rs).
use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device {
    pub id: Option<String>,
    pub uptime: Option<std::time::Duration>,
}

fn main() {}
