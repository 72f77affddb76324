//! Resources typed at run time: a [`ResourceSchema`] (from a server's `/ResourceTypes` and
//! `/Schemas`, a schema file, or a derived type) and [`DynamicResource`]s held as JSON and
//! checked against it.
//!
//! A dynamic resource goes through the same rules as a derived type: the codec's contexts
//! (read-only attributes left out of create and replace requests, `required` checked, no
//! `writeOnly` attribute in a query, `returned: never` refused in a response), case-insensitive
//! attribute names, attribute types, paths and filters resolved against the runtime schema.
//! Every client operation takes it: [`Client::dynamic`](crate::Client::dynamic) answers an
//! [`Api`](crate::client::Api) over dynamic resources.
//!
//! ```
//! use std::sync::Arc;
//! use scim_client::codec::Context;
//! use scim_client::dynamic::{DynamicResource, ResourceSchema};
//! use scim_client::schema::SchemaDef;
//! use serde_json::json;
//!
//! let core = SchemaDef::from_json(&json!({
//!     "id": "urn:example:schemas:Device",
//!     "name": "Device",
//!     "attributes": [
//!         {"name": "serialNumber", "type": "string", "multiValued": false, "required": true,
//!          "caseExact": true, "mutability": "readWrite", "returned": "default",
//!          "uniqueness": "server"},
//!         {"name": "enrolled", "type": "boolean", "multiValued": false, "required": false,
//!          "mutability": "readWrite", "returned": "default", "uniqueness": "none"}
//!     ]
//! }))?;
//! let schema = Arc::new(ResourceSchema::new("Device", "/Devices", core));
//!
//! // Names are matched case-insensitively and written back as the schema spells them.
//! let device = DynamicResource::from_json(&schema, json!({
//!     "id": "d1", "SERIALNUMBER": "SN-1", "enrolled": true
//! }))?;
//! assert_eq!(device.get("serialNumber"), Some(&json!("SN-1")));
//! assert_eq!(device.to_json_in(Context::CreateRequest)?, json!({
//!     "schemas": ["urn:example:schemas:Device"],
//!     "serialNumber": "SN-1",
//!     "enrolled": true
//! }));
//!
//! // Types are checked, with the path of the offending value.
//! let wrong = DynamicResource::from_json(&schema, json!({"enrolled": "yes"}));
//! assert!(wrong.unwrap_err().to_string().contains("enrolled"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor as DeVisitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use crate::codec::{self, Context, InContext, SerCtx, UnknownPolicy};
use crate::error::{Error, Violations};
use crate::filter::Filter;
use crate::model::{ResourceType, Schema};
use crate::patch::Schemas;
use crate::path::AttrPath;
use crate::protocol::ListResponse;
use crate::resource::Resource;
use crate::schema::{Attribute, AttributeType, Mutability, Returned, SchemaDef, common};
use crate::value::{CaseSet, Descriptor, MultiValue, ScimValue, ValueRef, Visitor, Walk, get_ci};

/// What [`Error::Decode`] names when a dynamic resource does not decode.
const WHAT: &str = "dynamic resource";

/// The metadata of a resource type known at run time: its name, endpoint, core schema and
/// schema extensions.
///
/// The core schema's attributes are completed with the common attributes `id`, `externalId`
/// and `meta` (RFC 7643 section 3.1) when it does not list them, so they follow the same rules
/// (`id` read-only and always returned, `meta` read-only).
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceSchema {
    name: String,
    endpoint: String,
    description: String,
    core: SchemaDef,
    extensions: Vec<(SchemaDef, bool)>,
}

impl ResourceSchema {
    /// A resource type named `name`, served at `endpoint` (`/Devices`), with this core schema.
    #[must_use]
    pub fn new(name: impl Into<String>, endpoint: impl Into<String>, core: SchemaDef) -> Self {
        let mut core = core;
        let missing: Vec<Attribute> = common::ALL
            .iter()
            .filter(|c| core.attribute(&c.name).is_none())
            .cloned()
            .collect();
        if !missing.is_empty() {
            let mut attributes = missing;
            attributes.extend(core.attributes.iter().cloned());
            core.attributes = Cow::Owned(attributes);
        }
        Self {
            name: name.into(),
            endpoint: endpoint.into(),
            description: String::new(),
            core,
            extensions: Vec::new(),
        }
    }

    /// The same with a schema extension (`required`: every resource must carry it).
    #[must_use]
    pub fn with_extension(mut self, schema: SchemaDef, required: bool) -> Self {
        self.extensions.push((schema, required));
        self
    }

    /// The same with a description.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// The runtime metadata of a derived type (its schema, extensions, name and endpoint).
    ///
    /// ```
    /// use scim_client::dynamic::ResourceSchema;
    /// use scim_client::model::{EnterpriseUser, User};
    ///
    /// let schema = ResourceSchema::of::<User<EnterpriseUser>>();
    /// assert_eq!(schema.endpoint(), "/Users");
    /// assert_eq!(schema.extensions().count(), 1);
    /// ```
    #[must_use]
    pub fn of<R: Resource>() -> Self {
        let mut out = Self::new(R::RESOURCE_TYPE, R::ENDPOINT, R::SCHEMA.clone())
            .with_description(R::DESCRIPTION);
        for ext in R::extensions() {
            out = out.with_extension(ext.schema.clone(), ext.required);
        }
        out
    }

    /// The resource type `resource_type` as a server describes it, with its schemas taken
    /// from `schemas` (what `/ResourceTypes` and `/Schemas` answer; see
    /// [`Discovery::resource_schema`](crate::client::Discovery::resource_schema)).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the resource type has no name, endpoint or schema, or
    /// names a schema that `schemas` does not hold; [`Error::Schema`] when a schema is
    /// malformed.
    pub fn from_discovery(resource_type: &ResourceType, schemas: &[Schema]) -> Result<Self, Error> {
        let name = resource_type
            .name
            .as_deref()
            .ok_or_else(|| Error::InvalidRequest("a resource type without a name".to_owned()))?;
        let endpoint = resource_type.endpoint.as_ref().ok_or_else(|| {
            Error::InvalidRequest(format!("the resource type `{name}` has no endpoint"))
        })?;
        let urn = resource_type.schema.as_ref().ok_or_else(|| {
            Error::InvalidRequest(format!("the resource type `{name}` has no schema"))
        })?;
        let find = |urn: &str| -> Result<SchemaDef, Error> {
            let schema = schemas
                .iter()
                .find(|s| s.id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(urn)))
                .ok_or_else(|| {
                    Error::InvalidRequest(format!(
                        "the resource type `{name}` uses the schema `{urn}`, which the server does not describe"
                    ))
                })?;
            let json = serde_json::to_value(schema).map_err(Error::Encode)?;
            Ok(SchemaDef::from_json(&json)?)
        };
        let mut out = Self::new(name, endpoint.as_str(), find(urn.as_str())?)
            .with_description(resource_type.description.clone().unwrap_or_default());
        for ext in &resource_type.schema_extensions {
            let Some(urn) = &ext.schema else { continue };
            out = out.with_extension(find(urn.as_str())?, ext.required.unwrap_or(false));
        }
        Ok(out)
    }

    /// The resource type name (`Device`).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The endpoint, relative to the base URL (`/Devices`).
    #[must_use]
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The description of the resource type.
    #[must_use]
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The core schema (with the common attributes).
    #[must_use]
    pub fn core(&self) -> &SchemaDef {
        &self.core
    }

    /// The extension schemas, with whether each is required.
    pub fn extensions(&self) -> impl Iterator<Item = (&SchemaDef, bool)> {
        self.extensions.iter().map(|(s, r)| (s, *r))
    }

    /// The extension whose URN is `urn` (case-insensitive).
    #[must_use]
    pub fn extension(&self, urn: &str) -> Option<&SchemaDef> {
        self.extensions
            .iter()
            .map(|(s, _)| s)
            .find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// The metadata paths, filters and PATCH resolve against.
    #[must_use]
    pub fn schemas(&self) -> Schemas<'_> {
        let extensions: Vec<&SchemaDef> = self.extensions.iter().map(|(s, _)| s).collect();
        Schemas::new(&self.core, &extensions)
    }

    /// Whether the attribute a filter path names is `caseExact` (`id` always is).
    #[must_use]
    pub fn case_exact(&self, path: &AttrPath) -> bool {
        let attributes = match path.schema() {
            Some(urn) if !urn.eq_ignore_ascii_case(&self.core.id) => match self.extension(urn) {
                Some(ext) => &ext.attributes,
                None => return false,
            },
            _ => &self.core.attributes,
        };
        let Some(attr) = crate::schema::find(attributes, path.name()) else {
            return false;
        };
        match path.sub_attr() {
            Some(sub) => attr.sub_attribute(sub).is_some_and(|a| a.case_exact),
            None => attr.case_exact,
        }
    }

    /// Whether `key` (a top-level key of a resource) is an attribute or extension of this type.
    fn models(&self, key: &str) -> bool {
        self.core.attribute(key).is_some() || self.extension(key).is_some()
    }
}

/// A resource held as JSON, checked against a [`ResourceSchema`] ("bound") or not ("unbound":
/// a resource of a type the program does not know, from a root `/.search` or a bulk
/// response, whose JSON is kept as it came).
///
/// `schemas` is not stored: as for derived types it is written from the core schema and the
/// extensions present.
#[derive(Clone, Default)]
pub struct DynamicResource {
    schema: Option<Arc<ResourceSchema>>,
    data: Map<String, Value>,
    /// The `schemas` the JSON came with (kept for an unbound resource, to find its type).
    declared: Vec<String>,
}

impl PartialEq for DynamicResource {
    fn eq(&self, other: &Self) -> bool {
        self.data == other.data
    }
}

impl fmt::Debug for DynamicResource {
    /// Prints the JSON, with `writeOnly` and `returned: never` values (passwords) redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut data = self.data.clone();
        if let Some(schema) = &self.schema {
            redact(&schema.core.attributes, &mut data);
            for (ext, _) in &schema.extensions {
                if let Some(Value::Object(o)) = get_ci_mut(&mut data, &ext.id) {
                    redact(&ext.attributes, o);
                }
            }
        }
        f.debug_struct("DynamicResource")
            .field("type", &self.schema.as_ref().map(|s| s.name.as_str()))
            .field("data", &data)
            .field("declared", &self.declared)
            .finish()
    }
}

fn redact(attributes: &[Attribute], obj: &mut Map<String, Value>) {
    for (k, v) in obj.iter_mut() {
        let Some(a) = crate::schema::find(attributes, k) else {
            continue;
        };
        if a.mutability == Mutability::WriteOnly || a.returned == Returned::Never {
            *v = Value::String("<redacted>".to_owned());
        } else if a.ty == AttributeType::Complex {
            match v {
                Value::Object(o) => redact(&a.sub_attributes, o),
                Value::Array(items) => {
                    for item in items {
                        if let Value::Object(o) = item {
                            redact(&a.sub_attributes, o);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn get_ci_mut<'a>(obj: &'a mut Map<String, Value>, key: &str) -> Option<&'a mut Value> {
    let found = obj.keys().find(|k| k.eq_ignore_ascii_case(key))?.clone();
    obj.get_mut(&found)
}

impl DynamicResource {
    /// An empty resource of this type.
    #[must_use]
    pub fn new(schema: &Arc<ResourceSchema>) -> Self {
        Self {
            schema: Some(Arc::clone(schema)),
            data: Map::new(),
            declared: Vec::new(),
        }
    }

    /// A resource of this type from its JSON, with names matched case-insensitively and types
    /// checked (no context rule: see [`DynamicResource::from_json_in`]).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] with the JSON path of a value of the wrong type, a duplicate
    /// attribute or `schemas` without the core schema.
    pub fn from_json(schema: &Arc<ResourceSchema>, json: Value) -> Result<Self, Error> {
        Self::from_json_in(schema, json, Context::Default, UnknownPolicy::Keep)
    }

    /// [`DynamicResource::from_json`], then the rules of `context` (as
    /// [`codec::from_slice_with`] checks a derived type).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] as [`DynamicResource::from_json`]; [`Error::RequestValidation`] or
    /// [`Error::ResponseValidation`] naming every broken rule.
    pub fn from_json_in(
        schema: &Arc<ResourceSchema>,
        json: Value,
        context: Context,
        policy: UnknownPolicy,
    ) -> Result<Self, Error> {
        let Value::Object(data) = json else {
            return Err(decode_error(".", "a resource must be a JSON object"));
        };
        let mut out = Self::unbound(data);
        out.bind(schema, context, policy)?;
        Ok(out)
    }

    /// Parses JSON bytes as a resource of this type received in `context`.
    ///
    /// # Errors
    ///
    /// As [`DynamicResource::from_json_in`]; a duplicate key in any object (in any case).
    pub fn from_slice(
        schema: &Arc<ResourceSchema>,
        bytes: &[u8],
        context: Context,
        policy: UnknownPolicy,
    ) -> Result<Self, Error> {
        let mut out: Self = codec::decode(bytes, WHAT)?;
        out.bind(schema, context, policy)?;
        Ok(out)
    }

    /// An unbound resource: JSON kept as it is, for a type the program does not know.
    #[must_use]
    pub fn unbound(data: Map<String, Value>) -> Self {
        let mut data = data;
        let declared = match remove_ci(&mut data, "schemas") {
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
            Some(other) => {
                // Not a list of URNs: kept as it came, for `bind` to refuse.
                data.insert("schemas".to_owned(), other);
                Vec::new()
            }
            None => Vec::new(),
        };
        Self {
            schema: None,
            data,
            declared,
        }
    }

    /// The `schemas` the resource's JSON came with.
    #[must_use]
    pub fn declared_schemas(&self) -> &[String] {
        &self.declared
    }

    /// Checks this resource against `schema` in `context` and adopts it: names take the
    /// schema's spelling, types are checked, `policy` applies to attributes the schema does not
    /// define.
    ///
    /// # Errors
    ///
    /// As [`DynamicResource::from_json_in`]; the resource is left unchanged.
    pub fn bind(
        &mut self,
        schema: &Arc<ResourceSchema>,
        context: Context,
        policy: UnknownPolicy,
    ) -> Result<(), Error> {
        let bound = self.adopted(schema, policy)?;
        bound.validate(context, policy)?;
        *self = bound;
        Ok(())
    }

    /// This resource read against `schema` (declared `schemas`, names, types, `policy`), not
    /// yet checked against a context's rules.
    fn adopted(&self, schema: &Arc<ResourceSchema>, policy: UnknownPolicy) -> Result<Self, Error> {
        check_schemas(&schema.core.id, &self.declared)?;
        Ok(Self {
            schema: Some(Arc::clone(schema)),
            data: canonical_resource(schema, &self.data, policy)?,
            declared: self.declared.clone(),
        })
    }

    /// The schema this resource is checked against, if bound.
    #[must_use]
    pub fn schema(&self) -> Option<&Arc<ResourceSchema>> {
        self.schema.as_ref()
    }

    /// The resource type: the schema's name, else `meta.resourceType`.
    #[must_use]
    pub fn resource_type(&self) -> Option<&str> {
        match &self.schema {
            Some(s) => Some(&s.name),
            None => get_ci(&self.data, "meta")
                .and_then(Value::as_object)
                .and_then(|m| get_ci(m, "resourceType"))
                .and_then(Value::as_str),
        }
    }

    /// The `id`.
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        get_ci(&self.data, "id").and_then(Value::as_str)
    }

    /// `meta.version`.
    #[must_use]
    pub fn version(&self) -> Option<&str> {
        get_ci(&self.data, "meta")
            .and_then(Value::as_object)
            .and_then(|m| get_ci(m, "version"))
            .and_then(Value::as_str)
    }

    /// The attributes as JSON, keyed by name (and extensions by URN), without `schemas`.
    #[must_use]
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.data
    }

    /// The attributes as JSON.
    #[must_use]
    pub fn into_map(self) -> Map<String, Value> {
        self.data
    }

    /// Whether no attribute has a value.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.data.values().all(crate::value::json_is_empty)
    }

    /// The value at `path` (`serialNumber`, `name.givenName`, or URN-qualified
    /// `urn:...:enterprise:2.0:User:employeeNumber`), names matched case-insensitively.
    #[must_use]
    pub fn get(&self, path: &str) -> Option<&Value> {
        let path = AttrPath::parse(path).ok()?;
        let container = match path.schema() {
            Some(urn) if !self.is_core(urn) => get_ci(&self.data, urn)?.as_object()?,
            _ => &self.data,
        };
        let value = get_ci(container, path.name())?;
        match path.sub_attr() {
            None => Some(value),
            Some(sub) => get_ci(value.as_object()?, sub),
        }
    }

    /// Sets the attribute at `path` (as [`DynamicResource::get`] reads it), after checking the
    /// value against the schema when the resource is bound.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a malformed path or one the schema does not define;
    /// [`Error::Decode`] for a value of the wrong type.
    pub fn set(&mut self, path: &str, value: impl Into<Value>) -> Result<(), Error> {
        let value = value.into();
        let parsed = AttrPath::parse(path)
            .map_err(|e| Error::InvalidRequest(format!("invalid path `{path}`: {e}")))?;
        // Where the value goes (the extension URN, the attribute, the sub-attribute), with the
        // schema's spelling and a checked value when the resource is bound.
        let (urn, name, sub, value) = match self.schema.clone() {
            None => (
                parsed.schema().map(str::to_owned),
                parsed.name().to_owned(),
                parsed.sub_attr().map(str::to_owned),
                value,
            ),
            Some(schema) => {
                let resolved = parsed
                    .resolve_parts(&schema.schemas())
                    .map_err(|e| Error::InvalidRequest(e.to_string()))?;
                let value = check_value(resolved.target(), &value, &resolved.canonical())?;
                (
                    resolved
                        .is_extension()
                        .then(|| resolved.schema().id.to_string()),
                    resolved.attribute().name.to_string(),
                    resolved.sub_attribute().map(|a| a.name.to_string()),
                    value,
                )
            }
        };
        let container = match &urn {
            Some(urn) => object_at(&mut self.data, urn),
            None => Some(&mut self.data),
        };
        let target = match &sub {
            None => container,
            Some(_) => container.and_then(|c| object_at(c, &name)),
        };
        let Some(target) = target else {
            return Err(decode_error(path, "not an object"));
        };
        put_ci(target, sub.unwrap_or(name), value);
        Ok(())
    }

    /// Removes the attribute at `path`, answering its value.
    pub fn remove(&mut self, path: &str) -> Option<Value> {
        let path = AttrPath::parse(path).ok()?;
        let core = path.schema().is_none_or(|urn| self.is_core(urn));
        let container = if core {
            &mut self.data
        } else {
            get_ci_mut(&mut self.data, path.schema()?)?.as_object_mut()?
        };
        match path.sub_attr() {
            None => remove_ci(container, path.name()),
            Some(sub) => remove_ci(get_ci_mut(container, path.name())?.as_object_mut()?, sub),
        }
    }

    fn is_core(&self, urn: &str) -> bool {
        self.schema
            .as_ref()
            .is_some_and(|s| s.core.id.eq_ignore_ascii_case(urn))
    }

    /// The `schemas` list: the core schema, then every extension present (for an unbound
    /// resource, every URN-keyed object).
    #[must_use]
    pub fn schemas(&self) -> Vec<String> {
        let Some(s) = &self.schema else {
            return self.declared.clone();
        };
        let mut out = vec![s.core.id.to_string()];
        let ctx = SerCtx::DEFAULT;
        self.present_urns(&ctx, &mut |u| out.push(u.to_owned()));
        out
    }

    /// The resource's JSON as written in `context` (`schemas` included): read-only attributes
    /// are left out of create and replace requests, and so on.
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] naming every broken rule of a request context.
    pub fn to_json_in(&self, context: Context) -> Result<Value, Error> {
        self.check_request(context)?;
        let ctx = SerCtx::new(context);
        serde_json::to_value(InContext::new(self, &ctx)).map_err(Error::Encode)
    }

    /// [`DynamicResource::to_json_in`] as bytes.
    ///
    /// # Errors
    ///
    /// As [`DynamicResource::to_json_in`].
    pub fn to_vec_in(&self, context: Context) -> Result<Vec<u8>, Error> {
        self.check_request(context)?;
        let ctx = SerCtx::new(context);
        serde_json::to_vec(&InContext::new(self, &ctx)).map_err(Error::Encode)
    }

    fn check_request(&self, context: Context) -> Result<(), Error> {
        if context.is_request() {
            let v = self.violations(context, UnknownPolicy::Keep);
            if !v.is_empty() {
                return Err(Error::RequestValidation(Violations(v)));
            }
        }
        Ok(())
    }

    /// Checks the resource against the rules of `context`.
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] or [`Error::ResponseValidation`] (by context) listing every
    /// broken rule.
    pub fn validate(&self, context: Context, policy: UnknownPolicy) -> Result<(), Error> {
        let v = self.violations(context, policy);
        if v.is_empty() {
            Ok(())
        } else if context.is_request() {
            Err(Error::RequestValidation(Violations(v)))
        } else {
            Err(Error::ResponseValidation(Violations(v)))
        }
    }

    /// Every rule of `context` the resource breaks (none for an unbound resource, which has no
    /// schema to check against).
    #[must_use]
    pub fn violations(
        &self,
        context: Context,
        policy: UnknownPolicy,
    ) -> Vec<crate::error::Violation> {
        let Some(schema) = &self.schema else {
            return Vec::new();
        };
        let required: Vec<&SchemaDef> = schema
            .extensions
            .iter()
            .filter(|(_, r)| *r)
            .map(|(s, _)| s)
            .collect();
        codec::violations_of(self, context, policy, &required, &|| self.schemas())
    }

    /// Whether the resource matches `filter` (RFC 7644 section 3.4.2.2), with the
    /// case-exactness of each attribute from the schema.
    #[must_use]
    pub fn matches(&self, filter: &Filter) -> bool {
        let json = Value::Object(self.data.clone());
        match &self.schema {
            Some(s) => filter.matches_with(&json, |p| s.case_exact(p)),
            None => filter.matches(&json),
        }
    }

    /// Sets `meta.version` when the resource has none.
    pub(crate) fn fill_version(&mut self, etag: String) {
        if self.version().is_some_and(|v| !v.is_empty()) {
            return;
        }
        if let Some(meta) = object_at(&mut self.data, "meta") {
            put_ci(meta, "version".to_owned(), Value::String(etag));
        }
    }

    /// Reports each extension (or, unbound, each URN-keyed object) that `ctx` would write.
    fn present_urns(&self, ctx: &SerCtx<'_>, f: &mut dyn FnMut(&str)) {
        match &self.schema {
            Some(schema) => {
                for (ext, _) in &schema.extensions {
                    if let Some(Value::Object(o)) = get_ci(&self.data, &ext.id)
                        && ctx.keep_schema(ext)
                        && !object_empty_in(&ext.attributes, o, &ctx.in_schema(&ext.id))
                    {
                        f(&ext.id);
                    }
                }
                if ctx.keep_unknown() {
                    for (k, v) in &self.data {
                        if codec::is_urn(k)
                            && !schema.models(k)
                            && v.is_object()
                            && !crate::value::json_is_empty(v)
                        {
                            f(k);
                        }
                    }
                }
            }
            None => {
                for (k, v) in &self.data {
                    if codec::is_urn(k) && v.is_object() && !crate::value::json_is_empty(v) {
                        f(k);
                    }
                }
            }
        }
    }
}

/// The object under `key` (matched case-insensitively), made an empty object when it is
/// absent or not an object.
fn object_at<'a>(obj: &'a mut Map<String, Value>, key: &str) -> Option<&'a mut Map<String, Value>> {
    let key = obj
        .keys()
        .find(|k| k.eq_ignore_ascii_case(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned());
    let slot = obj.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
}

/// Sets `key`, replacing a value under the same name in any case.
fn put_ci(obj: &mut Map<String, Value>, key: String, value: Value) {
    remove_ci(obj, &key);
    obj.insert(key, value);
}

fn remove_ci(obj: &mut Map<String, Value>, key: &str) -> Option<Value> {
    let found = obj.keys().find(|k| k.eq_ignore_ascii_case(key))?.clone();
    obj.remove(&found)
}

fn decode_error(path: &str, message: impl fmt::Display) -> Error {
    Error::Decode {
        what: WHAT,
        path: path.to_owned(),
        source: <serde_json::Error as de::Error>::custom(message),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else if prefix.ends_with(':') {
        format!("{prefix}{name}")
    } else {
        format!("{prefix}.{name}")
    }
}

/// The resource's attributes with the schema's names and checked types; `schemas` checked and
/// left out; unknown attributes kept or dropped by `policy`.
fn canonical_resource(
    schema: &ResourceSchema,
    data: &Map<String, Value>,
    policy: UnknownPolicy,
) -> Result<Map<String, Value>, Error> {
    let mut out = Map::new();
    let mut seen = CaseSet::default();
    for (key, value) in data {
        if key.eq_ignore_ascii_case("schemas") {
            return Err(decode_error("schemas", "expected a list of URN strings"));
        }
        if let Some(ext) = schema.extension(key) {
            let canonical = match value {
                Value::Null => Value::Null,
                Value::Object(o) => Value::Object(canonical_object(
                    &ext.attributes,
                    o,
                    &format!("{}:", ext.id),
                    policy,
                )?),
                _ => return Err(decode_error(key, "an extension must be a JSON object")),
            };
            insert_unique(&mut out, &mut seen, &ext.id, canonical, key)?;
        } else if let Some(attr) = schema.core.attribute(key) {
            let canonical = check_value(attr, value, &attr.name)?;
            insert_unique(&mut out, &mut seen, &attr.name, canonical, key)?;
        } else if policy != UnknownPolicy::Ignore {
            insert_unique(&mut out, &mut seen, key, value.clone(), key)?;
        }
    }
    Ok(out)
}

fn insert_unique(
    out: &mut Map<String, Value>,
    seen: &mut CaseSet,
    name: &str,
    value: Value,
    path: &str,
) -> Result<(), Error> {
    if !seen.insert(name) {
        return Err(decode_error(
            path,
            format_args!("duplicate attribute `{name}` (attribute names are case-insensitive)"),
        ));
    }
    out.insert(name.to_owned(), value);
    Ok(())
}

fn check_schemas(core: &str, list: &[String]) -> Result<(), Error> {
    if !list.is_empty() && !list.iter().any(|s| s.eq_ignore_ascii_case(core)) {
        return Err(decode_error(
            "schemas",
            format_args!("`schemas` does not contain the core schema `{core}`"),
        ));
    }
    Ok(())
}

fn canonical_object(
    attributes: &[Attribute],
    obj: &Map<String, Value>,
    prefix: &str,
    policy: UnknownPolicy,
) -> Result<Map<String, Value>, Error> {
    let mut out = Map::new();
    let mut seen = CaseSet::default();
    for (key, value) in obj {
        let path = join(prefix, key);
        if let Some(attr) = crate::schema::find(attributes, key) {
            let canonical = check_value(attr, value, &join(prefix, &attr.name))?;
            insert_unique(&mut out, &mut seen, &attr.name, canonical, &path)?;
        } else if policy != UnknownPolicy::Ignore {
            insert_unique(&mut out, &mut seen, key, value.clone(), &path)?;
        }
    }
    Ok(out)
}

/// Checks a value against an attribute's type and multi-valuedness (what serde checks for a
/// derived type), answering it with sub-attribute names as the schema spells them.
fn check_value(attr: &Attribute, value: &Value, path: &str) -> Result<Value, Error> {
    match value {
        Value::Null => Ok(Value::Null),
        Value::Array(items) if attr.multi_valued => items
            .iter()
            .enumerate()
            .map(|(i, v)| check_single(attr, v, &format!("{path}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Array(_) => Err(decode_error(
            path,
            format_args!("expected a single {} value, found a list", attr.ty),
        )),
        _ if attr.multi_valued => Err(decode_error(
            path,
            format_args!(
                "`{}` is multi-valued: expected a list of {} values",
                attr.name, attr.ty
            ),
        )),
        _ => check_single(attr, value, path),
    }
}

fn check_single(attr: &Attribute, value: &Value, path: &str) -> Result<Value, Error> {
    let wrong = |expected: &str| {
        Err(decode_error(
            path,
            format_args!("expected {expected}, found {}", kind(value)),
        ))
    };
    match (attr.ty, value) {
        (_, Value::Null) => Ok(Value::Null),
        (AttributeType::String | AttributeType::Reference, Value::String(_))
        | (AttributeType::Boolean, Value::Bool(_))
        | (AttributeType::Decimal, Value::Number(_)) => Ok(value.clone()),
        (AttributeType::Integer, Value::Number(n)) => {
            if n.is_i64() {
                Ok(value.clone())
            } else if n.is_u64() {
                Err(decode_error(path, "integer out of range (beyond i64)"))
            } else {
                Err(decode_error(
                    path,
                    format_args!("expected an integer, found the decimal {n}"),
                ))
            }
        }
        (AttributeType::DateTime, Value::String(s)) => match s.parse::<jiff::Timestamp>() {
            Ok(_) => Ok(value.clone()),
            Err(e) => Err(decode_error(
                path,
                format_args!("invalid dateTime `{s}`: {e}"),
            )),
        },
        (AttributeType::Binary, Value::String(_)) => crate::value::Binary::deserialize(value)
            .map(|_| value.clone())
            .map_err(|e| decode_error(path, e)),
        (AttributeType::Complex, Value::Object(o)) => Ok(Value::Object(canonical_object(
            &attr.sub_attributes,
            o,
            path,
            UnknownPolicy::Keep,
        )?)),
        (AttributeType::String, _) => wrong("a string"),
        (AttributeType::Reference, _) => wrong("a reference (a URI string)"),
        (AttributeType::Boolean, _) => wrong("a boolean"),
        (AttributeType::Decimal, _) => wrong("a decimal number"),
        (AttributeType::Integer, _) => wrong("an integer"),
        (AttributeType::DateTime, _) => wrong("a dateTime string"),
        (AttributeType::Binary, _) => wrong("a base64 string"),
        (AttributeType::Complex, _) => wrong("a complex value (a JSON object)"),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------
// Walking: the codec's checker, PATCH and the rest see a bound resource as they see a derived
// one.

/// A JSON object seen through the attributes that describe it.
struct JsonObject<'a> {
    attributes: &'a [Attribute],
    obj: &'a Map<String, Value>,
}

impl Walk for JsonObject<'_> {
    fn walk(&self, visitor: &mut dyn Visitor) {
        walk_attributes(self.attributes, self.obj, visitor);
        for (k, v) in self.obj {
            if crate::schema::find(self.attributes, k).is_none() {
                visitor.unknown(k, v);
            }
        }
    }

    fn attribute_value(&self, name: &str) -> Option<ValueRef<'_>> {
        let attr = crate::schema::find(self.attributes, name)?;
        scalar_ref(attr, get_ci(self.obj, name)?)
    }
}

/// The values of a multi-valued attribute held as JSON.
struct JsonMulti<'a> {
    items: Vec<Item<'a>>,
}

enum Item<'a> {
    Complex(JsonObject<'a>),
    Scalar(ValueRef<'a>),
}

impl MultiValue for JsonMulti<'_> {
    fn len(&self) -> usize {
        self.items.len()
    }
    fn get(&self, index: usize) -> ValueRef<'_> {
        match self.items.get(index) {
            Some(Item::Complex(c)) => ValueRef::Complex(c),
            Some(Item::Scalar(v)) => *v,
            None => ValueRef::Null,
        }
    }
}

/// The value of a scalar attribute (or `Json` when the JSON does not fit the type).
fn scalar_ref<'a>(attr: &Attribute, value: &'a Value) -> Option<ValueRef<'a>> {
    Some(match (attr.ty, value) {
        (_, Value::Null) => ValueRef::Null,
        (AttributeType::String, Value::String(s)) => ValueRef::String(s),
        (AttributeType::Reference, Value::String(s)) => ValueRef::Reference(s),
        (AttributeType::Boolean, Value::Bool(b)) => ValueRef::Boolean(*b),
        (AttributeType::Integer, Value::Number(n)) if n.is_i64() => ValueRef::Integer(n.as_i64()?),
        (AttributeType::Decimal, Value::Number(n)) => ValueRef::Decimal(n.as_f64()?),
        (AttributeType::DateTime, Value::String(s)) => match s.parse() {
            Ok(t) => ValueRef::DateTime(t),
            Err(_) => ValueRef::Json(value),
        },
        _ => ValueRef::Json(value),
    })
}

fn with_value<R>(attr: &Attribute, value: Option<&Value>, f: impl FnOnce(ValueRef<'_>) -> R) -> R {
    match value {
        None | Some(Value::Null) => f(ValueRef::Null),
        Some(Value::Array(items)) if attr.multi_valued => {
            let items = items
                .iter()
                .map(|v| match v {
                    Value::Object(obj) if attr.ty == AttributeType::Complex => {
                        Item::Complex(JsonObject {
                            attributes: &attr.sub_attributes,
                            obj,
                        })
                    }
                    other => Item::Scalar(scalar_ref(attr, other).unwrap_or(ValueRef::Json(other))),
                })
                .collect();
            f(ValueRef::Multi(&JsonMulti { items }))
        }
        Some(Value::Object(obj)) if attr.ty == AttributeType::Complex && !attr.multi_valued => {
            f(ValueRef::Complex(&JsonObject {
                attributes: &attr.sub_attributes,
                obj,
            }))
        }
        Some(other) => f(scalar_ref(attr, other).unwrap_or(ValueRef::Json(other))),
    }
}

fn walk_attributes(attributes: &[Attribute], obj: &Map<String, Value>, visitor: &mut dyn Visitor) {
    for attr in attributes {
        with_value(attr, get_ci(obj, &attr.name), |v| {
            visitor.attribute(attr, v);
        });
    }
}

impl Walk for DynamicResource {
    fn walk(&self, visitor: &mut dyn Visitor) {
        let Some(schema) = &self.schema else {
            for (k, v) in &self.data {
                visitor.unknown(k, v);
            }
            return;
        };
        walk_attributes(&schema.core.attributes, &self.data, visitor);
        for (ext, _) in &schema.extensions {
            match get_ci(&self.data, &ext.id) {
                Some(Value::Object(obj)) => visitor.extension(
                    ext,
                    Some(&JsonObject {
                        attributes: &ext.attributes,
                        obj,
                    }),
                ),
                _ => visitor.extension(ext, None),
            }
        }
        for (k, v) in &self.data {
            if !schema.models(k) {
                visitor.unknown(k, v);
            }
        }
    }

    fn attribute_value(&self, name: &str) -> Option<ValueRef<'_>> {
        let attr = self.schema.as_ref()?.core.attribute(name)?;
        scalar_ref(attr, get_ci(&self.data, name)?)
    }
}

// ---------------------------------------------------------------------------------------------
// Writing in a context, by the same `SerCtx` decisions as the derived types.

/// Whether nothing of `value` (of attribute `attr`) would be written in `ctx`.
fn value_empty_in(attr: &Attribute, value: &Value, ctx: &SerCtx<'_>) -> bool {
    match value {
        Value::Array(items) => items.iter().all(|v| value_empty_in(attr, v, ctx)),
        Value::Object(obj) if attr.ty == AttributeType::Complex => {
            object_empty_in(&attr.sub_attributes, obj, &ctx.child(attr))
        }
        other => crate::value::json_is_empty(other),
    }
}

fn object_empty_in(attributes: &[Attribute], obj: &Map<String, Value>, ctx: &SerCtx<'_>) -> bool {
    obj.iter()
        .all(|(k, v)| match crate::schema::find(attributes, k) {
            Some(a) => ctx.drops(a) || value_empty_in(a, v, ctx) || !quiet(ctx).keep(a, false),
            None => !ctx.keep_unknown() || crate::value::json_is_empty(v),
        })
}

/// The same context without the suspect flag (emptiness checks must not raise it).
fn quiet<'a>(ctx: &SerCtx<'a>) -> SerCtx<'a> {
    ctx.without_suspect()
}

/// Writes the attributes of `obj` that `ctx` keeps, in schema order, then the unknown ones.
fn write_object<M: SerializeMap>(
    map: &mut M,
    attributes: &[Attribute],
    obj: &Map<String, Value>,
    ctx: &SerCtx<'_>,
) -> Result<(), M::Error> {
    for attr in attributes {
        let value = get_ci(obj, &attr.name);
        if value.is_some() && ctx.drops(attr) {
            continue;
        }
        let empty = value.is_none_or(|v| value_empty_in(attr, v, ctx));
        if ctx.keep(attr, empty)
            && let Some(v) = value
        {
            let child = ctx.child(attr);
            map.serialize_entry(
                &*attr.name,
                &JsonIn {
                    attr,
                    value: v,
                    ctx: &child,
                },
            )?;
        }
    }
    if ctx.keep_unknown() {
        for (k, v) in obj {
            if crate::schema::find(attributes, k).is_none()
                && !codec::is_urn(k)
                && !k.eq_ignore_ascii_case("schemas")
                && !crate::value::json_is_empty(v)
            {
                map.serialize_entry(k, v)?;
            }
        }
    }
    Ok(())
}

/// One attribute value, written in a context.
struct JsonIn<'a> {
    attr: &'a Attribute,
    value: &'a Value,
    /// The context of the attribute's sub-attributes.
    ctx: &'a SerCtx<'a>,
}

impl Serialize for JsonIn<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Array(items) => {
                let mut seq = s.serialize_seq(None)?;
                for item in items {
                    if !item_empty(self.attr, item, self.ctx) {
                        seq.serialize_element(&JsonIn {
                            attr: self.attr,
                            value: item,
                            ctx: self.ctx,
                        })?;
                    }
                }
                seq.end()
            }
            Value::Object(obj) if self.attr.ty == AttributeType::Complex => {
                let mut map = s.serialize_map(None)?;
                write_object(&mut map, &self.attr.sub_attributes, obj, self.ctx)?;
                map.end()
            }
            other => other.serialize(s),
        }
    }
}

/// Whether an item of a multi-valued attribute writes nothing (`ctx` is the sub-attributes').
fn item_empty(attr: &Attribute, item: &Value, ctx: &SerCtx<'_>) -> bool {
    match item {
        Value::Object(obj) if attr.ty == AttributeType::Complex => {
            object_empty_in(&attr.sub_attributes, obj, ctx)
        }
        other => crate::value::json_is_empty(other),
    }
}

impl ScimValue for DynamicResource {
    const DESCRIPTOR: Descriptor = Descriptor::complex(&[]);

    fn value_ref(&self) -> ValueRef<'_> {
        ValueRef::Complex(self)
    }

    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }

    fn clear_unknown(&mut self) {
        if let Some(schema) = &self.schema {
            self.data.retain(|k, _| schema.models(k));
        }
    }

    fn serialize_in<S: Serializer>(&self, s: S, ctx: &SerCtx<'_>) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        let Some(schema) = &self.schema else {
            let schemas = self.schemas();
            if !schemas.is_empty() {
                map.serialize_entry("schemas", &schemas)?;
            }
            for (k, v) in &self.data {
                if !crate::value::json_is_empty(v) {
                    map.serialize_entry(k, v)?;
                }
            }
            return map.end();
        };
        let mut schemas = vec![schema.core.id.to_string()];
        self.present_urns(ctx, &mut |u| schemas.push(u.to_owned()));
        map.serialize_entry("schemas", &schemas)?;
        write_object(
            &mut map,
            &schema.core.attributes,
            &self.data,
            &ctx.in_schema(&schema.core.id),
        )?;
        for (ext, _) in &schema.extensions {
            if let Some(Value::Object(obj)) = get_ci(&self.data, &ext.id) {
                let inner = ctx.in_schema(&ext.id);
                if ctx.keep_schema(ext) && !object_empty_in(&ext.attributes, obj, &inner) {
                    map.serialize_entry(
                        &*ext.id,
                        &ObjectIn {
                            attributes: &ext.attributes,
                            obj,
                            ctx: &inner,
                        },
                    )?;
                }
            }
        }
        if ctx.keep_unknown() {
            for (k, v) in &self.data {
                if codec::is_urn(k) && !schema.models(k) && !crate::value::json_is_empty(v) {
                    map.serialize_entry(k, v)?;
                }
            }
        }
        map.end()
    }
}

struct ObjectIn<'a> {
    attributes: &'a [Attribute],
    obj: &'a Map<String, Value>,
    ctx: &'a SerCtx<'a>,
}

impl Serialize for ObjectIn<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        write_object(&mut map, self.attributes, self.obj, self.ctx)?;
        map.end()
    }
}

impl Serialize for DynamicResource {
    /// Writes the resource as JSON with `schemas`, in no SCIM context.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_in(s, &SerCtx::DEFAULT)
    }
}

impl<'de> Deserialize<'de> for DynamicResource {
    /// Reads an unbound resource: any JSON object, refusing keys duplicated in any case at any
    /// depth (bind it to a schema to check the rest).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(StrictVisitor)? {
            Value::Object(map) => Ok(Self::unbound(map)),
            other => Err(de::Error::custom(format_args!(
                "expected a resource (a JSON object), found {}",
                kind(&other)
            ))),
        }
    }
}

/// Builds a JSON value, refusing objects whose keys repeat in any case.
struct StrictVisitor;

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

impl<'de> DeVisitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut seen = CaseSet::default();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(v) = map.next_value()?;
            if !seen.insert(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate attribute `{key}` (attribute names are case-insensitive)"
                )));
            }
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

impl crate::resource::Payload for DynamicResource {
    fn violations(&self, context: Context, policy: UnknownPolicy) -> Vec<crate::error::Violation> {
        DynamicResource::violations(self, context, policy)
    }
}

impl crate::resource::ResourceKind for DynamicResource {
    type Schema = Arc<ResourceSchema>;

    fn __endpoint(schema: &Arc<ResourceSchema>) -> &str {
        &schema.endpoint
    }

    fn __core_urn(schema: &Arc<ResourceSchema>) -> &str {
        &schema.core.id
    }

    fn __encode(&self, context: Context, check: bool) -> Result<Vec<u8>, Error> {
        if check {
            self.to_vec_in(context)
        } else {
            let ctx = SerCtx::new(context);
            serde_json::to_vec(&InContext::new(self, &ctx)).map_err(Error::Encode)
        }
    }

    fn __encode_value(&self, context: Context) -> Result<Value, Error> {
        self.to_json_in(context)
    }

    fn __decode(
        schema: &Arc<ResourceSchema>,
        bytes: &[u8],
        context: Context,
        policy: UnknownPolicy,
    ) -> Result<Self, Error> {
        Self::from_slice(schema, bytes, context, policy)
    }

    fn __decode_value(
        schema: &Arc<ResourceSchema>,
        value: Value,
        context: Context,
    ) -> Result<Self, Error> {
        Self::from_json_in(schema, value, context, UnknownPolicy::Keep)
    }

    fn __decode_list(
        schema: &Arc<ResourceSchema>,
        bytes: &[u8],
        context: Context,
        policy: UnknownPolicy,
    ) -> Result<ListResponse<Self>, Error> {
        let mut page: ListResponse<Self> = codec::decode(bytes, "ListResponse")?;
        bind_page(&mut page, |_| Some(Arc::clone(schema)), context, policy)?;
        Ok(page)
    }

    fn __id(&self) -> Option<&str> {
        self.id()
    }

    fn __version(&self) -> Option<&str> {
        self.version()
    }

    fn __fill_version(&mut self, etag: String) {
        self.fill_version(etag);
    }

    fn __target(&self) -> Result<crate::resource::Target, Error> {
        let schema = self.schema.as_ref().ok_or_else(|| {
            Error::InvalidRequest(
                "a dynamic resource without a schema has no endpoint: bind it first".to_owned(),
            )
        })?;
        Ok((schema.endpoint.clone(), None))
    }
}

/// Prefixes the path of a decoding error with `Resources[i].`.
fn in_resource(i: usize, e: Error) -> Error {
    match e {
        Error::Decode { what, path, source } => Error::Decode {
            what,
            path: format!("Resources[{i}].{path}"),
            source,
        },
        other => other,
    }
}

/// Binds every resource of a page to the schema `schema_of` finds for it (unknown types stay
/// unbound), then checks them in `context`. Errors name the resource (`Resources[3].…`).
pub(crate) fn bind_page(
    page: &mut ListResponse<DynamicResource>,
    schema_of: impl Fn(&DynamicResource) -> Option<Arc<ResourceSchema>>,
    context: Context,
    policy: UnknownPolicy,
) -> Result<(), Error> {
    let mut all = Vec::new();
    for (i, r) in page.resources.iter_mut().enumerate() {
        if let Some(schema) = schema_of(r) {
            *r = r.adopted(&schema, policy).map_err(|e| in_resource(i, e))?;
        }
        for mut v in r.violations(context, policy) {
            v.attribute = format!("Resources[{i}].{}", v.attribute);
            all.push(v);
        }
    }
    if all.is_empty() {
        Ok(())
    } else if context.is_request() {
        Err(Error::RequestValidation(Violations(all)))
    } else {
        Err(Error::ResponseValidation(Violations(all)))
    }
}
