use scim_client::ScimComplex;

#[derive(ScimComplex, Clone, Debug)]
pub struct Member {
    #[scim(type = "string", reference_types = ["User", "Group"])]
    pub value: Option<String>,
}

fn main() {}
