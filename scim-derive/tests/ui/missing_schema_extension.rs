use scim_client::ScimExtension;

#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
pub struct Badge {
    pub number: Option<String>,
}

fn main() {}
