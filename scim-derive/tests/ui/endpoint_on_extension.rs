use scim_client::ScimExtension;

#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:extension:2.0:Vendor",
    endpoint = "/Vendors"
)]
pub struct Vendor {
    pub code: Option<String>,
}

fn main() {}
