use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "https://example.com/schemas/Device")]
pub struct Device {
    pub id: Option<String>,
}

fn main() {}
