use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Account")]
pub struct Account {
    pub id: Option<String>,
    pub user_name: Option<String>,
    #[scim(rename = "USERNAME")]
    pub login: Option<String>,
}

fn main() {}
