use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device {
    #[scim(mutability = "readWrite")]
    pub id: Option<String>,
}

fn main() {}
