use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device {
    pub id: Option<i64>,
    pub meta: Option<String>,
}

fn main() {}
