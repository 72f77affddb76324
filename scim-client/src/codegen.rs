//! Rust source generated from schema JSON: one `#[derive(ScimResource)]` struct per resource
//! type, one `#[derive(ScimExtension)]` struct per schema extension and one
//! `#[derive(ScimComplex)]` struct per complex attribute, with every RFC 7643 characteristic
//! that differs from the section 2.2 defaults written as a `#[scim(...)]` key and every
//! description as a doc comment.
//!
//! The output is one module's worth of formatted source (what `rustfmt` would write), meant to
//! be saved as a file of the user's crate (`mod scim_types;`) or `include!`d. The schema each
//! generated type exports equals the schema it was generated from: descriptions that a doc
//! comment cannot carry exactly (runs of whitespace, text escaped for rustdoc) are kept in a
//! `description = "..."` key as well.
//!
//! ```
//! use scim_client::codegen;
//! use serde_json::json;
//!
//! let schemas = json!([{
//!     "id": "urn:example:params:scim:schemas:2.0:Device",
//!     "name": "Device",
//!     "description": "A device.",
//!     "attributes": [
//!         {"name": "serialNumber", "type": "string", "required": true, "caseExact": true,
//!          "description": "The serial number."}
//!     ]
//! }]);
//! let source = codegen::generate_from_json(&schemas, None)?;
//! assert!(source.contains("pub struct Device {"));
//! assert!(source.contains("    #[scim(required, case_exact)]\n    pub serial_number: Option<String>,"));
//! # Ok::<(), codegen::CodegenError>(())
//! ```
//!
//! Rules of the output:
//!
//! - Types: `string` is `String`, `boolean` `bool`, `integer` `i64`, `decimal` `f64`,
//!   `dateTime` `jiff::Timestamp` (so the including crate depends on `jiff`), `binary`
//!   [`Binary`](crate::Binary), `reference` [`Reference`](crate::Reference), `complex` a
//!   generated struct. Multi-valued attributes are `Vec<T>`, single-valued ones `Option<T>`,
//!   required ones too (marked `#[scim(required)]`: the client refuses to send a create or
//!   replace without them).
//! - Every struct keeps what it does not model in an `#[scim(unknown)]`
//!   `serde_json::Map<String, serde_json::Value>` (so the including crate depends on
//!   `serde_json`).
//! - Field names are the snake case of the attribute names, with `#[scim(rename)]` when that
//!   does not give the attribute name back, a trailing `_` on Rust keywords (`type_`), and a
//!   suffix when two names would clash. Complex types are named after their parent type and
//!   the attribute (`User` + `emails` gives `UserEmail`), with a number when that name is taken.
//! - Resource structs get the common `id`, `externalId` and `meta` fields (RFC 7643 section
//!   3.1); a schema that lists them (or `schemas`) among its attributes has those entries
//!   left out. A resource type's extensions are `#[scim(extension)]` fields.
//! - Without resource types, every schema whose URN contains `:extension:` becomes an
//!   extension and every other one a resource named after the schema at `/<name>s`; with
//!   resource types, only the schemas they use are generated.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::client::Discovery;
use crate::error::SchemaError;
use crate::model::{ResourceType, Schema};
use crate::schema::{Attribute, AttributeType, Mutability, Returned, SchemaDef, Uniqueness};

/// The width `rustfmt` formats to.
const MAX_WIDTH: usize = 100;
/// The widest argument list `rustfmt` keeps on one line in an attribute (`attr_fn_like_width`).
const ATTR_ARGS_WIDTH: usize = 70;

/// A resource type to generate a `ScimResource` struct for: the RFC 7643 section 6
/// `ResourceType` resource, reduced to what code generation needs.
///
/// ```
/// use scim_client::codegen::ResourceTypeSpec;
///
/// let user = ResourceTypeSpec::new("User", "/Users", "urn:ietf:params:scim:schemas:core:2.0:User")
///     .description("User Account")
///     .extension("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", true);
/// assert_eq!(user.extensions.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResourceTypeSpec {
    /// The resource type name (`User`); the struct is named after it.
    pub name: String,
    /// The endpoint relative to the base URL (`/Users`).
    pub endpoint: String,
    /// The core schema URN.
    pub schema: String,
    /// The resource type's description.
    pub description: String,
    /// The schema extensions: URN and whether every resource must carry it.
    pub extensions: Vec<(String, bool)>,
}

impl ResourceTypeSpec {
    /// A resource type without description or extensions.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        endpoint: impl Into<String>,
        schema: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            endpoint: endpoint.into(),
            schema: schema.into(),
            description: String::new(),
            extensions: Vec::new(),
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Adds a schema extension.
    #[must_use]
    pub fn extension(mut self, schema: impl Into<String>, required: bool) -> Self {
        self.extensions.push((schema.into(), required));
        self
    }

    /// Reads a `ResourceType` resource (RFC 7643 section 6) as served by `/ResourceTypes`.
    ///
    /// # Errors
    ///
    /// [`CodegenError::Input`] when `name`, `endpoint` or `schema` is missing or not a string,
    /// or `schemaExtensions` is malformed.
    pub fn from_json(value: &Value) -> Result<Self, CodegenError> {
        let obj = value
            .as_object()
            .ok_or_else(|| CodegenError::input("$", "a resource type must be a JSON object"))?;
        let get = |key: &str| crate::value::get_ci(obj, key);
        let text = |key: &str, required: bool| -> Result<String, CodegenError> {
            match get(key) {
                Some(Value::String(s)) => Ok(s.clone()),
                None | Some(Value::Null) if !required => Ok(String::new()),
                _ => Err(CodegenError::input(key, "expected a string")),
            }
        };
        let mut spec = Self::new(
            text("name", true)?,
            text("endpoint", true)?,
            text("schema", true)?,
        )
        .description(text("description", false)?);
        match get("schemaExtensions") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let at = format!("schemaExtensions[{i}]");
                    let ext = item
                        .as_object()
                        .ok_or_else(|| CodegenError::input(&at, "expected an object"))?;
                    let urn = crate::value::get_ci(ext, "schema")
                        .and_then(Value::as_str)
                        .ok_or_else(|| CodegenError::input(&at, "`schema` must be a string"))?;
                    let required = match crate::value::get_ci(ext, "required") {
                        None | Some(Value::Null) => false,
                        Some(Value::Bool(b)) => *b,
                        Some(_) => {
                            return Err(CodegenError::input(
                                format!("{at}.required"),
                                "expected a boolean",
                            ));
                        }
                    };
                    spec.extensions.push((urn.to_owned(), required));
                }
            }
            Some(_) => return Err(CodegenError::input("schemaExtensions", "expected a list")),
        }
        Ok(spec)
    }

    /// Reads the typed `ResourceType` model (as [`Client::discover`](crate::Client::discover)
    /// returns it).
    ///
    /// # Errors
    ///
    /// [`CodegenError::Input`] when `name`, `endpoint` or `schema` is missing.
    pub fn from_model(rt: &ResourceType) -> Result<Self, CodegenError> {
        let name = rt.name.clone().ok_or_else(|| {
            CodegenError::input("name", "a resource type without a name cannot be generated")
        })?;
        let missing = |what: &str| {
            CodegenError::input(what, format!("the resource type `{name}` has no {what}"))
        };
        let endpoint = rt.endpoint.as_ref().ok_or_else(|| missing("endpoint"))?;
        let schema = rt.schema.as_ref().ok_or_else(|| missing("schema"))?;
        let mut spec = Self::new(name.clone(), endpoint.as_str(), schema.as_str())
            .description(rt.description.clone().unwrap_or_default());
        for ext in &rt.schema_extensions {
            let urn = ext
                .schema
                .as_ref()
                .ok_or_else(|| missing("schemaExtensions.schema"))?;
            spec.extensions
                .push((urn.as_str().to_owned(), ext.required.unwrap_or(false)));
        }
        Ok(spec)
    }
}

/// Why code could not be generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodegenError {
    /// A schema description is malformed.
    #[error("schema `{schema}`: {source}")]
    Schema {
        /// The schema URN, or its position in the input when it has none.
        schema: String,
        /// What is wrong, and where.
        #[source]
        source: SchemaError,
    },
    /// The input JSON does not have the expected shape (not a list of schemas, a resource
    /// type without an endpoint...).
    #[error("invalid input at `{at}`: {message}")]
    Input {
        /// Where (a JSON path).
        at: String,
        /// What is wrong.
        message: String,
    },
    /// A resource type uses a schema that is not among the schemas.
    #[error(
        "the resource type `{resource_type}` uses the schema `{schema}`, which is not among the schemas"
    )]
    MissingSchema {
        /// The resource type name.
        resource_type: String,
        /// The URN that is missing.
        schema: String,
    },
    /// The schema holds something the derives cannot express (a schema id that is not a
    /// URN, an attribute name RFC 7643 section 2.1 does not allow, two attributes whose names
    /// differ only in case...).
    #[error("schema `{schema}`, `{path}`: {message}")]
    Unsupported {
        /// The schema URN.
        schema: String,
        /// The attribute path (`emails.type`), empty for the schema itself.
        path: String,
        /// What cannot be generated.
        message: String,
    },
}

impl CodegenError {
    fn input(at: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Input {
            at: at.into(),
            message: message.into(),
        }
    }

    fn unsupported(schema: &str, path: &str, message: impl Into<String>) -> Self {
        Self::Unsupported {
            schema: schema.to_owned(),
            path: path.to_owned(),
            message: message.into(),
        }
    }
}

/// Generates the Rust source for `schemas`, with one resource struct per entry of
/// `resource_types` (see the [module documentation](self) for what is generated when
/// `resource_types` is empty).
///
/// # Errors
///
/// [`CodegenError::MissingSchema`] when a resource type uses a schema that is not in
/// `schemas`; [`CodegenError::Unsupported`] when a schema cannot be expressed with the derives.
pub fn generate(
    schemas: &[SchemaDef],
    resource_types: &[ResourceTypeSpec],
) -> Result<String, CodegenError> {
    Generator::new(schemas, resource_types)?.run()
}

/// [`generate`] from JSON: `schemas` is a `/Schemas` `ListResponse`, a list of `Schema`
/// resources or one `Schema` resource; `resource_types` likewise for `/ResourceTypes`.
///
/// # Errors
///
/// [`CodegenError::Input`] or [`CodegenError::Schema`] for malformed input, then whatever
/// [`generate`] reports.
pub fn generate_from_json(
    schemas: &Value,
    resource_types: Option<&Value>,
) -> Result<String, CodegenError> {
    let defs = resources_of(schemas, "Schemas")?
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            SchemaDef::from_json(v).map_err(|source| CodegenError::Schema {
                schema: schema_label(v, i),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let specs = match resource_types {
        None => Vec::new(),
        Some(json) => resources_of(json, "ResourceTypes")?
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                ResourceTypeSpec::from_json(v).map_err(|e| match e {
                    CodegenError::Input { at, message } => CodegenError::Input {
                        at: format!("ResourceTypes[{i}].{at}"),
                        message,
                    },
                    other => other,
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    generate(&defs, &specs)
}

/// [`generate`] from what [`Client::discover`](crate::Client::discover) learnt.
///
/// # Errors
///
/// [`CodegenError::Schema`] when a served schema is malformed, then whatever [`generate`]
/// reports.
pub fn generate_from_discovery(discovery: &Discovery) -> Result<String, CodegenError> {
    let defs = discovery
        .schemas
        .iter()
        .enumerate()
        .map(|(i, s)| {
            schema_def(s).map_err(|source| CodegenError::Schema {
                schema: s.id.clone().unwrap_or_else(|| format!("Schemas[{i}]")),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let specs = discovery
        .resource_types
        .iter()
        .map(ResourceTypeSpec::from_model)
        .collect::<Result<Vec<_>, _>>()?;
    generate(&defs, &specs)
}

/// The runtime metadata of a typed `Schema` resource.
pub(crate) fn schema_def(schema: &Schema) -> Result<SchemaDef, SchemaError> {
    let json = serde_json::to_value(schema)
        .map_err(|e| SchemaError::new("$", format!("cannot encode the schema: {e}")))?;
    SchemaDef::from_json(&json)
}

fn schema_label(v: &Value, i: usize) -> String {
    v.get("id")
        .and_then(Value::as_str)
        .map_or_else(|| format!("#{i}"), str::to_owned)
}

/// The resources of a `ListResponse`, the items of a list, or the value itself.
fn resources_of<'a>(json: &'a Value, what: &str) -> Result<Vec<&'a Value>, CodegenError> {
    match json {
        Value::Array(items) => Ok(items.iter().collect()),
        Value::Object(obj) => match crate::value::get_ci(obj, "Resources") {
            Some(Value::Array(items)) => Ok(items.iter().collect()),
            Some(Value::Null) => Ok(Vec::new()),
            Some(_) => Err(CodegenError::input("Resources", "expected a list")),
            None if obj.contains_key("totalResults") => Ok(Vec::new()),
            None => Ok(vec![json]),
        },
        _ => Err(CodegenError::input(
            "$",
            format!("expected a {what} ListResponse, a list or one object"),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Planning: names and roles.
// ---------------------------------------------------------------------------------------------

/// The resource types to generate, after inference when none were given.
struct ResourcePlan<'a> {
    spec: ResourceTypeSpec,
    schema: &'a SchemaDef,
    struct_name: String,
}

struct Generator<'a> {
    resources: Vec<ResourcePlan<'a>>,
    /// Extension schemas by lower-case URN: the schema and its struct name.
    extensions: HashMap<String, (&'a SchemaDef, String)>,
    /// Extensions in the order they are emitted.
    extension_order: Vec<String>,
    /// Every type name in use.
    type_names: HashSet<String>,
    /// `scim_client` items the source uses.
    uses: BTreeSet<&'static str>,
    uses_jiff: bool,
    body: String,
}

/// Type names the generated source refers to, which a generated struct must not shadow.
const RESERVED_TYPES: &[&str] = &[
    "Binary",
    "Box",
    "Clone",
    "Debug",
    "Default",
    "Err",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Reference",
    "Result",
    "ScimComplex",
    "ScimExtension",
    "ScimResource",
    "Secret",
    "Self",
    "Some",
    "String",
    "Vec",
];

fn find_schema<'a>(schemas: &'a [SchemaDef], urn: &str) -> Option<&'a SchemaDef> {
    schemas.iter().find(|s| s.id.eq_ignore_ascii_case(urn))
}

fn last_segment(urn: &str) -> &str {
    urn.rsplit(':').next().unwrap_or(urn)
}

impl<'a> Generator<'a> {
    fn new(
        schemas: &'a [SchemaDef],
        resource_types: &[ResourceTypeSpec],
    ) -> Result<Self, CodegenError> {
        let mut g = Self {
            resources: Vec::new(),
            extensions: HashMap::new(),
            extension_order: Vec::new(),
            type_names: RESERVED_TYPES.iter().map(|s| (*s).to_owned()).collect(),
            uses: BTreeSet::new(),
            uses_jiff: false,
            body: String::new(),
        };
        let specs: Vec<ResourceTypeSpec> = if resource_types.is_empty() {
            schemas
                .iter()
                .filter(|s| !is_extension_urn(&s.id))
                .map(|s| {
                    let name = if s.name.trim().is_empty() {
                        last_segment(&s.id).to_owned()
                    } else {
                        s.name.to_string()
                    };
                    ResourceTypeSpec::new(name.clone(), format!("/{name}s"), s.id.to_string())
                        .description(s.description.to_string())
                })
                .collect()
        } else {
            resource_types.to_vec()
        };
        for spec in specs {
            let schema =
                find_schema(schemas, &spec.schema).ok_or_else(|| CodegenError::MissingSchema {
                    resource_type: spec.name.clone(),
                    schema: spec.schema.clone(),
                })?;
            for (urn, _) in &spec.extensions {
                if find_schema(schemas, urn).is_none() {
                    return Err(CodegenError::MissingSchema {
                        resource_type: spec.name.clone(),
                        schema: urn.clone(),
                    });
                }
            }
            check_urn(&schema.id)?;
            let base: &str = if spec.name.trim().is_empty() {
                &schema.name
            } else {
                &spec.name
            };
            let struct_name = g.type_name(&pascal_case(base), None);
            g.resources.push(ResourcePlan {
                spec,
                schema,
                struct_name,
            });
        }
        // Extensions: those the resource types declare, in order; without resource types,
        // every extension schema.
        let mut ext_urns: Vec<&str> = Vec::new();
        if resource_types.is_empty() {
            ext_urns.extend(
                schemas
                    .iter()
                    .filter(|s| is_extension_urn(&s.id))
                    .map(|s| &*s.id),
            );
        } else {
            for r in &g.resources {
                ext_urns.extend(r.spec.extensions.iter().map(|(u, _)| u.as_str()));
            }
        }
        let mut ext_list = Vec::new();
        let mut seen = HashSet::new();
        for urn in ext_urns {
            let key = urn.to_ascii_lowercase();
            if !seen.insert(key.clone()) {
                continue;
            }
            let Some(schema) = find_schema(schemas, urn) else {
                continue;
            };
            check_urn(&schema.id)?;
            let base = if schema.name.trim().is_empty() {
                last_segment(&schema.id)
            } else {
                &schema.name
            };
            ext_list.push((key, schema, pascal_case(base)));
        }
        for (key, schema, base) in ext_list {
            let name = g.type_name(&base, Some("Extension"));
            g.extensions.insert(key.clone(), (schema, name));
            g.extension_order.push(key);
        }
        Ok(g)
    }

    /// A type name not in use yet: `base`, else `base` + `suffix`, else with a number.
    fn type_name(&mut self, base: &str, suffix: Option<&str>) -> String {
        let mut candidates = vec![base.to_owned()];
        if let Some(s) = suffix {
            candidates.push(format!("{base}{s}"));
        }
        let mut n = 2;
        loop {
            if let Some(c) = candidates.iter().find(|c| !self.type_names.contains(*c)) {
                let c = c.clone();
                self.type_names.insert(c.clone());
                return c;
            }
            candidates = vec![format!("{base}{n}")];
            n += 1;
        }
    }

    fn run(mut self) -> Result<String, CodegenError> {
        let mut emitted: HashSet<String> = HashSet::new();
        let resources = std::mem::take(&mut self.resources);
        for r in &resources {
            self.resource(r)?;
            for (urn, _) in &r.spec.extensions {
                let key = urn.to_ascii_lowercase();
                if emitted.insert(key.clone()) {
                    self.extension(&key)?;
                }
            }
        }
        for key in self.extension_order.clone() {
            if emitted.insert(key.clone()) {
                self.extension(&key)?;
            }
        }
        Ok(self.finish(&resources))
    }

    fn finish(&self, resources: &[ResourcePlan<'_>]) -> String {
        let mut out = String::new();
        out.push_str(
            "// Generated by scim-codegen from SCIM schema definitions (RFC 7643 section 7): edit\n\
             // the schemas and generate again rather than editing this file.\n//\n",
        );
        let mut urns: Vec<&str> = resources.iter().map(|r| &*r.schema.id).collect();
        for key in &self.extension_order {
            urns.push(&self.extensions[key].0.id);
        }
        let mut seen = HashSet::new();
        out.push_str("// Schemas:\n");
        for urn in urns {
            if seen.insert(urn.to_ascii_lowercase()) {
                let _ = writeln!(out, "// - {urn}");
            }
        }
        out.push_str(
            "//\n// Required attributes are `Option`s or `Vec`s marked `#[scim(required)]`: the client\n\
             // refuses to create or replace a resource without them. The including crate depends on\n",
        );
        if self.uses_jiff {
            out.push_str("// `scim-client`, `serde_json` and `jiff`.");
        } else {
            out.push_str("// `scim-client` and `serde_json`.");
        }
        out.push_str(
            " Descriptions and names come from the\n\
             // schemas: with `clippy::pedantic`, allow `doc_markdown` and `struct_field_names` on the\n\
             // including module.\n",
        );
        out.push('\n');
        let uses: Vec<&str> = self.uses.iter().copied().collect();
        match uses.as_slice() {
            [] => {}
            [one] => {
                let _ = writeln!(out, "use scim_client::{one};");
            }
            many => {
                let _ = writeln!(out, "use scim_client::{{{}}};", many.join(", "));
            }
        }
        out.push_str(&self.body);
        out
    }

    // -----------------------------------------------------------------------------------------
    // Emission.
    // -----------------------------------------------------------------------------------------

    fn resource(&mut self, r: &ResourcePlan<'a>) -> Result<(), CodegenError> {
        let schema = r.schema;
        let endpoint = normalise_endpoint(&r.spec)?;
        let mut doc = String::new();
        push_paragraph(&mut doc, &schema.description);
        let info = format!(
            "The `{}` resource type at `{endpoint}`, schema `{}`.",
            r.spec.name, schema.id
        );
        push_paragraph(&mut doc, &info);
        self.uses.insert("ScimResource");
        let container = vec![
            format!("schema = {}", lit(&schema.id)),
            format!("name = {}", lit(&schema.name)),
            format!("resource_type = {}", lit(&r.spec.name)),
            format!("endpoint = {}", lit(&endpoint)),
            format!("description = {}", lit(&schema.description)),
        ];
        let mut fields = Vec::new();
        let mut idents: HashSet<String> = ["id", "external_id", "meta"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        fields.push(FieldOut::plain(
            "A unique identifier for a SCIM resource as defined by the service provider.",
            "id",
            "Option<String>",
        ));
        fields.push(FieldOut::plain(
            "An identifier for the resource as defined by the provisioning client.",
            "external_id",
            "Option<String>",
        ));
        fields.push(FieldOut::plain(
            "Resource metadata, set by the service provider.",
            "meta",
            "Option<scim_client::model::Meta>",
        ));
        let attributes: Vec<&Attribute> = schema
            .attributes
            .iter()
            .filter(|a| {
                !["id", "externalId", "meta", "schemas"]
                    .iter()
                    .any(|c| a.name.eq_ignore_ascii_case(c))
            })
            .collect();
        let mut children = Vec::new();
        let attr_fields = self.attribute_fields(
            &schema.id,
            "",
            &r.struct_name,
            &attributes,
            &mut idents,
            &mut children,
        )?;
        fields.extend(attr_fields);
        for (urn, required) in &r.spec.extensions {
            let (ext_schema, ext_name) = &self.extensions[&urn.to_ascii_lowercase()];
            let ident = unique_ident(&snake_case(ext_name), &mut idents);
            let doc = format!(
                "The `{}` extension{}.",
                ext_schema.id,
                if *required {
                    ", which every resource of this type carries"
                } else {
                    ""
                }
            );
            let keys = if *required {
                vec!["extension".to_owned(), "required".to_owned()]
            } else {
                vec!["extension".to_owned()]
            };
            fields.push(FieldOut {
                doc,
                keys,
                ident,
                ty: format!("Option<{ext_name}>"),
            });
        }
        let unknown = unique_ident("unknown", &mut idents);
        fields.push(FieldOut::unknown(
            "Attributes and extensions this type does not model, kept and sent back.",
            &unknown,
        ));
        self.write_struct(&doc, "ScimResource", &container, &r.struct_name, &fields);
        self.children(&schema.id, children)
    }

    fn extension(&mut self, key: &str) -> Result<(), CodegenError> {
        let (schema, name) = self.extensions[key].clone();
        let mut doc = String::new();
        push_paragraph(&mut doc, &schema.description);
        push_paragraph(&mut doc, &format!("The schema extension `{}`.", schema.id));
        self.uses.insert("ScimExtension");
        let container = vec![
            format!("schema = {}", lit(&schema.id)),
            format!("name = {}", lit(&schema.name)),
            format!("description = {}", lit(&schema.description)),
        ];
        let attributes: Vec<&Attribute> = schema.attributes.iter().collect();
        let mut idents = HashSet::new();
        let mut children = Vec::new();
        let mut fields = self.attribute_fields(
            &schema.id,
            "",
            &name,
            &attributes,
            &mut idents,
            &mut children,
        )?;
        let unknown = unique_ident("unknown", &mut idents);
        fields.push(FieldOut::unknown(
            "Attributes this type does not model, kept and sent back.",
            &unknown,
        ));
        self.write_struct(&doc, "ScimExtension", &container, &name, &fields);
        self.children(&schema.id, children)
    }

    /// Emits the complex types of a struct's fields, depth first.
    fn children(&mut self, urn: &str, children: Vec<Child<'a>>) -> Result<(), CodegenError> {
        for child in children {
            let mut doc = String::new();
            push_paragraph(&mut doc, &child.attribute.description);
            push_paragraph(
                &mut doc,
                &format!("The value of `{}` (schema `{urn}`).", child.path),
            );
            self.uses.insert("ScimComplex");
            let subs: Vec<&Attribute> = child.attribute.sub_attributes.iter().collect();
            let mut idents = HashSet::new();
            let mut grandchildren = Vec::new();
            let mut fields = self.attribute_fields(
                urn,
                &format!("{}.", child.path),
                &child.name,
                &subs,
                &mut idents,
                &mut grandchildren,
            )?;
            let unknown = unique_ident("unknown", &mut idents);
            fields.push(FieldOut::unknown(
                "Sub-attributes the schema does not define, kept so that nothing is lost.",
                &unknown,
            ));
            self.write_struct(&doc, "ScimComplex", &[], &child.name, &fields);
            self.children(urn, grandchildren)?;
        }
        Ok(())
    }

    /// The fields of a list of attributes; complex ones are queued in `children`.
    fn attribute_fields(
        &mut self,
        urn: &str,
        prefix: &str,
        parent: &str,
        attributes: &[&'a Attribute],
        idents: &mut HashSet<String>,
        children: &mut Vec<Child<'a>>,
    ) -> Result<Vec<FieldOut>, CodegenError> {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut fields = Vec::new();
        for a in attributes {
            let path = format!("{prefix}{}", a.name);
            if !valid_wire_name(&a.name) {
                return Err(CodegenError::unsupported(
                    urn,
                    &path,
                    "not a valid attribute name (RFC 7643 section 2.1: a letter, then letters, \
                     digits, `_` or `-`)",
                ));
            }
            if a.name.eq_ignore_ascii_case("schemas") {
                return Err(CodegenError::unsupported(
                    urn,
                    &path,
                    "`schemas` is a protocol attribute and cannot be a field",
                ));
            }
            if let Some(first) = seen.insert(a.name.to_ascii_lowercase(), &a.name) {
                return Err(CodegenError::unsupported(
                    urn,
                    &path,
                    format!(
                        "two attributes named `{first}` and `{}` (names are case-insensitive)",
                        a.name
                    ),
                ));
            }
            let ident = unique_ident(&field_base(&a.name), idents);
            let inner = match a.ty {
                // A write-only string is a secret (a password): kept out of `Debug` output.
                AttributeType::String if a.mutability == Mutability::WriteOnly => {
                    self.uses.insert("Secret");
                    "Secret".to_owned()
                }
                AttributeType::String => "String".to_owned(),
                AttributeType::Boolean => "bool".to_owned(),
                AttributeType::Integer => "i64".to_owned(),
                AttributeType::Decimal => "f64".to_owned(),
                AttributeType::DateTime => {
                    self.uses_jiff = true;
                    "jiff::Timestamp".to_owned()
                }
                AttributeType::Binary => {
                    self.uses.insert("Binary");
                    "Binary".to_owned()
                }
                AttributeType::Reference => {
                    self.uses.insert("Reference");
                    "Reference".to_owned()
                }
                AttributeType::Complex => {
                    let word = if a.multi_valued {
                        singular(&a.name)
                    } else {
                        a.name.to_string()
                    };
                    let name = self.type_name(&format!("{parent}{}", pascal_case(&word)), None);
                    children.push(Child {
                        attribute: a,
                        name: name.clone(),
                        path: path.clone(),
                    });
                    name
                }
            };
            let ty = if a.multi_valued {
                format!("Vec<{inner}>")
            } else {
                format!("Option<{inner}>")
            };
            let (doc, doc_exact) = doc_text(&a.description);
            let mut keys = Vec::new();
            if camel_case(&ident) != *a.name {
                keys.push(format!("rename = {}", lit(&a.name)));
            }
            if a.required {
                keys.push("required".to_owned());
            }
            if a.case_exact {
                keys.push("case_exact".to_owned());
            }
            if a.mutability != Mutability::ReadWrite {
                keys.push(format!("mutability = \"{}\"", a.mutability.as_str()));
            }
            if a.returned != Returned::Default {
                keys.push(format!("returned = \"{}\"", a.returned.as_str()));
            }
            if a.uniqueness != Uniqueness::None {
                keys.push(format!("uniqueness = \"{}\"", a.uniqueness.as_str()));
            }
            if !a.canonical_values.is_empty() {
                keys.push(format!("canonical_values = {}", list(&a.canonical_values)));
            }
            if !a.reference_types.is_empty() {
                keys.push(format!("reference_types = {}", list(&a.reference_types)));
            }
            let doc = if doc.is_empty() {
                keys.push("description = \"\"".to_owned());
                format!("The `{}` attribute.", a.name)
            } else {
                if !doc_exact {
                    keys.push(format!("description = {}", lit(&a.description)));
                }
                doc
            };
            fields.push(FieldOut {
                doc,
                keys,
                ident,
                ty,
            });
        }
        Ok(fields)
    }

    fn write_struct(
        &mut self,
        doc: &str,
        derive: &str,
        container: &[String],
        name: &str,
        fields: &[FieldOut],
    ) {
        let out = &mut self.body;
        out.push('\n');
        write_doc(out, "", doc);
        let _ = writeln!(out, "#[derive({derive}, Clone, Debug, Default, PartialEq)]");
        if !container.is_empty() {
            write_scim_attr(out, "", container);
        }
        let _ = writeln!(out, "pub struct {name} {{");
        for f in fields {
            write_doc(out, "    ", &f.doc);
            if !f.keys.is_empty() {
                write_scim_attr(out, "    ", &f.keys);
            }
            let _ = writeln!(out, "    pub {}: {},", f.ident, f.ty);
        }
        out.push_str("}\n");
    }
}

/// A complex attribute whose struct is still to be written.
struct Child<'a> {
    attribute: &'a Attribute,
    name: String,
    /// The dotted attribute path (`interfaces.addresses`).
    path: String,
}

/// One field, ready to print.
struct FieldOut {
    /// The doc text, already safe for rustdoc; wrapped when printed.
    doc: String,
    keys: Vec<String>,
    ident: String,
    ty: String,
}

impl FieldOut {
    fn plain(doc: &str, ident: &str, ty: &str) -> Self {
        Self {
            doc: doc.to_owned(),
            keys: Vec::new(),
            ident: ident.to_owned(),
            ty: ty.to_owned(),
        }
    }

    fn unknown(doc: &str, ident: &str) -> Self {
        Self {
            doc: doc.to_owned(),
            keys: vec!["unknown".to_owned()],
            ident: ident.to_owned(),
            ty: "serde_json::Map<String, serde_json::Value>".to_owned(),
        }
    }
}

fn check_urn(urn: &str) -> Result<(), CodegenError> {
    if !urn.to_ascii_lowercase().starts_with("urn:") || urn.len() <= 4 || urn.ends_with(':') {
        return Err(CodegenError::unsupported(
            urn,
            "",
            "a schema id must be a URN such as `urn:ietf:params:scim:schemas:core:2.0:User`",
        ));
    }
    Ok(())
}

fn is_extension_urn(urn: &str) -> bool {
    urn.to_ascii_lowercase().contains(":extension:")
}

/// The endpoint as the derive wants it: a path starting with `/`.
fn normalise_endpoint(spec: &ResourceTypeSpec) -> Result<String, CodegenError> {
    let e = spec.endpoint.trim();
    if e.contains("://") || e.is_empty() {
        return Err(CodegenError::input(
            "endpoint",
            format!(
                "the resource type `{}` has the endpoint `{e}`; expected a path relative to the \
                 base URL such as `/Users`",
                spec.name
            ),
        ));
    }
    Ok(if e.starts_with('/') {
        e.to_owned()
    } else {
        format!("/{e}")
    })
}

// ---------------------------------------------------------------------------------------------
// Names.
// ---------------------------------------------------------------------------------------------

/// RFC 7643 section 2.1 attribute names (and `$ref`), as the derive checks them.
fn valid_wire_name(w: &str) -> bool {
    w == "$ref"
        || (w.starts_with(|c: char| c.is_ascii_alphabetic())
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
}

/// The wire name the derive gives a field: `external_id` -> `externalId`, a leading `r#`
/// dropped (the same rule as `scim-derive`).
fn camel_case(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The words of a name: split at anything but letters and digits, and at case changes
/// (`phoneNumbers` -> `phone`, `Numbers`; `IPAddress` -> `IP`, `Address`).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `phoneNumbers` -> `phone_numbers`.
fn snake_case(name: &str) -> String {
    let s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.is_empty() {
        "field".to_owned()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{s}")
    } else {
        s
    }
}

/// `enterprise user` -> `EnterpriseUser`; an all-capitals name is capitalised (`SAML` ->
/// `Saml`), as clippy's `upper_case_acronyms` wants.
fn pascal_case(name: &str) -> String {
    let mut s = String::new();
    for w in words(name) {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            s.push(first.to_ascii_uppercase());
            s.push_str(chars.as_str());
        }
    }
    if s.len() > 1 && !s.chars().any(|c| c.is_ascii_lowercase()) {
        let mut chars = s.chars();
        let first = chars.next().map(String::from).unwrap_or_default();
        s = first + &chars.as_str().to_ascii_lowercase();
    }
    if s.is_empty() {
        "Type".to_owned()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{s}")
    } else {
        s
    }
}

/// The singular of a multi-valued attribute name, for its struct: `addresses` -> `address`,
/// `entitlements` -> `entitlement`, `policies` -> `policy`.
fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("ies") && name.len() > 3 {
        format!("{}y", &name[..name.len() - 3])
    } else if (lower.ends_with("sses")
        || lower.ends_with("xes")
        || lower.ends_with("ches")
        || lower.ends_with("shes"))
        && name.len() > 4
    {
        name[..name.len() - 2].to_owned()
    } else if lower.ends_with('s') && !lower.ends_with("ss") && name.len() > 1 {
        name[..name.len() - 1].to_owned()
    } else {
        name.to_owned()
    }
}

/// Rust keywords (strict, reserved and edition 2024), which need a trailing `_` as fields.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The preferred field name of an attribute.
fn field_base(wire: &str) -> String {
    let s = snake_case(wire);
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// `base` if free, else `base_` (which the derive reads as the same wire name), else a number.
fn unique_ident(base: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = base.to_owned();
    if taken.contains(&candidate) {
        candidate = format!("{base}_");
    }
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{}_{n}", base.trim_end_matches('_'));
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

// ---------------------------------------------------------------------------------------------
// Text.
// ---------------------------------------------------------------------------------------------

/// A Rust string literal.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_bidi(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `["a", "b"]`.
fn list(items: &[std::borrow::Cow<'static, str>]) -> String {
    let items: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("[{}]", items.join(", "))
}

/// Unicode bidirectional controls, which rustc refuses in comments and literals.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A description as doc text (words separated by single spaces, made safe for rustdoc), and
/// whether the derive reads that text back as the description itself.
fn doc_text(description: &str) -> (String, bool) {
    let mut words: Vec<String> = description.split_whitespace().map(markdown_word).collect();
    if let Some(first) = words.first_mut()
        && starts_block(first)
    {
        *first = escape_block_start(first);
    }
    let text = words.join(" ");
    let exact = text == description;
    (text, exact)
}

/// One word made safe for rustdoc: brackets and angle brackets escaped (no intra-doc links or
/// HTML tags), bare URLs in `<...>`, no code fence, no control or bidi characters.
fn markdown_word(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let url_at = ["https://", "http://"]
        .iter()
        .filter_map(|p| lower.find(p))
        .min();
    let mut out = String::new();
    match url_at {
        Some(at) => {
            let rest = &word[at..];
            let url = rest.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
            let tail = &rest[url.len()..];
            escape_into(&mut out, &word[..at]);
            if url.contains(['<', '>', '`']) {
                escape_into(&mut out, url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            escape_into(&mut out, tail);
        }
        None => escape_into(&mut out, word),
    }
    if out.starts_with("```") || out.starts_with("~~~") {
        out.insert(0, '\\');
    }
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || is_bidi(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Whether a line starting with `word` would start a Markdown block other than a paragraph
/// (a list item, a heading, a quote, a fence, a rule), which would change how the following
/// lines read.
fn starts_block(word: &str) -> bool {
    let ordered = {
        let digits = word.trim_end_matches(['.', ')']);
        word.len() == digits.len() + 1
            && !digits.is_empty()
            && digits.len() <= 9
            && digits.chars().all(|c| c.is_ascii_digit())
    };
    matches!(word, "-" | "*" | "+")
        || ordered
        || (!word.is_empty() && word.len() <= 6 && word.chars().all(|c| c == '#'))
        || word.starts_with('>')
        || word.starts_with("```")
        || word.starts_with("~~~")
        || (!word.is_empty() && word.chars().all(|c| matches!(c, '=' | '-' | '_' | '*')))
        || word.starts_with('|')
}

fn escape_block_start(word: &str) -> String {
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        // `1.` -> `1\.`
        let (digits, punct) = word.split_at(word.len() - 1);
        format!("{digits}\\{punct}")
    } else {
        format!("\\{word}")
    }
}

/// Appends a paragraph to a doc text (paragraphs are separated by a blank line).
fn push_paragraph(doc: &mut String, text: &str) {
    let (text, _) = doc_text(text);
    if text.is_empty() {
        return;
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&text);
}

/// Writes doc text as `///` lines wrapped to the line width; a line never starts with a word
/// that would open a Markdown block.
fn write_doc(out: &mut String, indent: &str, doc: &str) {
    let width = MAX_WIDTH.saturating_sub(indent.len() + 4).max(20);
    for (i, paragraph) in doc.split("\n\n").enumerate() {
        if i > 0 {
            let _ = writeln!(out, "{indent}///");
        }
        for line in wrap(paragraph, width) {
            let _ = writeln!(out, "{indent}/// {line}");
        }
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let len = |line: &[&str]| -> usize {
        line.iter().map(|w| w.chars().count()).sum::<usize>() + line.len().saturating_sub(1)
    };
    let mut lines: Vec<Vec<&str>> = Vec::new();
    for w in text.split(' ').filter(|w| !w.is_empty()) {
        if let Some(line) = lines.last_mut()
            && len(line) + 1 + w.chars().count() <= width
        {
            line.push(w);
            continue;
        }
        if lines.is_empty() {
            lines.push(vec![w]);
            continue;
        }
        let mut new_line = vec![w];
        while starts_block(new_line[0]) {
            let last = lines.last_mut().expect("a line");
            if last.len() >= 2 {
                let moved = last.pop().expect("a word");
                new_line.insert(0, moved);
            } else {
                last.append(&mut new_line);
                break;
            }
        }
        if !new_line.is_empty() {
            lines.push(new_line);
        }
    }
    lines.into_iter().map(|l| l.join(" ")).collect()
}

/// Writes `#[scim(...)]` as `rustfmt` lays it out: on one line when it fits (the whole line
/// in [`MAX_WIDTH`], the keys in [`ATTR_ARGS_WIDTH`]), else one key per line (lists that do not fit broken one item per line, which `rustfmt` keeps).
fn write_scim_attr(out: &mut String, indent: &str, keys: &[String]) {
    let args = keys.join(", ");
    let one = format!("{indent}#[scim({args})]");
    if args.chars().count() <= ATTR_ARGS_WIDTH && one.chars().count() <= MAX_WIDTH {
        out.push_str(&one);
        out.push('\n');
        return;
    }
    let _ = writeln!(out, "{indent}#[scim(");
    let inner = format!("{indent}    ");
    for (i, key) in keys.iter().enumerate() {
        let comma = if i + 1 < keys.len() { "," } else { "" };
        let line = format!("{inner}{key}{comma}");
        match key.split_once(" = [") {
            Some((name, items)) if line.chars().count() > MAX_WIDTH => {
                let _ = writeln!(out, "{inner}{name} = [");
                let items = items.strip_suffix(']').unwrap_or(items);
                for item in split_list(items) {
                    let _ = writeln!(out, "{inner}    {item},");
                }
                let _ = writeln!(out, "{inner}]{comma}");
            }
            _ => {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    let _ = writeln!(out, "{indent})]");
}

/// Splits the items of a list of string literals written by [`list`].
fn split_list(items: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in items.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            ',' if !in_str => {
                out.push(items[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = items[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake_case("userName"), "user_name");
        assert_eq!(snake_case("x509Certificates"), "x509_certificates");
        assert_eq!(snake_case("IPAddress"), "ip_address");
        assert_eq!(snake_case("$ref"), "ref");
        assert_eq!(snake_case("mac-address"), "mac_address");
        assert_eq!(field_base("type"), "type_");
        assert_eq!(field_base("$ref"), "ref_");
        assert_eq!(camel_case("type_"), "type");
        assert_eq!(pascal_case("EnterpriseUser"), "EnterpriseUser");
        assert_eq!(pascal_case("enterprise user"), "EnterpriseUser");
        assert_eq!(pascal_case("SAML"), "Saml");
        assert_eq!(pascal_case("x509Certificate"), "X509Certificate");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("phoneNumbers"), "phoneNumber");
        assert_eq!(singular("ims"), "im");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("access"), "access");
    }

    #[test]
    fn unique_idents() {
        let mut taken = HashSet::new();
        assert_eq!(unique_ident("a", &mut taken), "a");
        assert_eq!(unique_ident("a", &mut taken), "a_");
        assert_eq!(unique_ident("a", &mut taken), "a_2");
        assert_eq!(unique_ident("type_", &mut taken), "type_");
        assert_eq!(unique_ident("type_", &mut taken), "type__");
        assert_eq!(unique_ident("type_", &mut taken), "type_2");
    }

    #[test]
    fn doc_text_is_safe() {
        assert_eq!(doc_text("plain text"), ("plain text".to_owned(), true));
        assert_eq!(doc_text("two  spaces"), ("two spaces".to_owned(), false));
        assert_eq!(
            doc_text("see [RFC5646] at https://example.com/x."),
            (
                "see \\[RFC5646\\] at <https://example.com/x>.".to_owned(),
                false
            )
        );
        assert_eq!(doc_text("- a list").0, "\\- a list");
        assert_eq!(doc_text("1. first").0, "1\\. first");
        assert_eq!(doc_text("a <b> tag").0, "a \\<b\\> tag");
    }

    #[test]
    fn wrapping_never_starts_a_block() {
        let text = "aaaa bbbb - cccc";
        assert_eq!(wrap(text, 10), vec!["aaaa", "bbbb -", "cccc"]);
        assert_eq!(wrap("aaaa 1. b", 5), vec!["aaaa 1.", "b"]);
        assert_eq!(wrap("aaaa 1. b", 7), vec!["aaaa 1.", "b"]);
    }

    #[test]
    fn literals() {
        assert_eq!(lit("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(lit("x\u{202e}"), "\"x\\u{202e}\"");
    }

    #[test]
    fn long_attributes_break_like_rustfmt() {
        let mut out = String::new();
        write_scim_attr(
            &mut out,
            "    ",
            &[
                "required".to_owned(),
                format!("description = {}", lit(&"x".repeat(90))),
            ],
        );
        assert_eq!(
            out,
            format!(
                "    #[scim(\n        required,\n        description = \"{}\"\n    )]\n",
                "x".repeat(90)
            )
        );
    }
}
