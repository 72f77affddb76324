// KNOWN ISSUE: the error points at the derive, not at the field (the `Default::default()`
// call for skipped fields is spanned at the call site in expand.rs).
use scim_client::ScimResource;

pub struct Handle(u32);

impl Clone for Handle {
    fn clone(&self) -> Self {
        Handle(self.0)
    }
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Handle")
    }
}

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device {
    pub id: Option<String>,
    #[scim(skip)]
    pub handle: Handle,
}

fn main() {}
