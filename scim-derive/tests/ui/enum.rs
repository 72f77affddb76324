use scim_client::ScimComplex;

#[derive(ScimComplex, Clone, Debug)]
pub enum Kind {
    Work,
    Home,
}

fn main() {}
