use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
pub struct Device {
    pub id: Option<String>,
}

fn main() {}
