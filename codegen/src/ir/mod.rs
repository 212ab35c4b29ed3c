//! The model in between: Rust-shaped types, with names chosen, cycles
//! broken and constraints normalised.
//!
//! Nothing here refers to YAML nodes; schema positions survive only as
//! [`Origin`]s for messages. Emitters read this and nothing else.

pub(crate) mod backtracking;
mod checks;
mod derives;
mod directions;
pub mod instance;
mod lower;
pub mod names;
mod share;
mod walk;

pub use checks::{
    Applied, Bound, Checks, Condition, Conditional, Constraint, Contains, Evaluation, Gated,
    Number, Subject, Unclaimed, Unevaluated,
};
pub use lower::lower;
pub use share::share_inline_shapes;
pub use walk::Holding;

pub use crate::settings::Visibility;
use crate::sparse::Sparse;
use serde_json::Value;

/// Index of a type in [`Model::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Where something came from, for messages and docs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// Display name of the file.
    pub file: String,
    /// JSON Pointer inside it.
    pub pointer: String,
}

/// Every generated type, grouped into one module per named schema.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// All types; [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
    /// One module per named schema, in input order.
    pub modules: Vec<Module>,
    /// Named schemas replaced by the project's own types, in input order: no Rust type is
    /// generated for them, only a docs page naming the replacement.
    pub replaced: Vec<Replaced>,
    /// `[dependencies]` lines the replacing types need, sorted and without duplicates.
    pub dependencies: Vec<String>,
}

/// A named schema replaced by a type from outside the generated crate.
#[derive(Debug, Clone)]
pub struct Replaced {
    /// The schema name as written.
    pub schema_name: String,
    /// Where the schema is.
    pub origin: Origin,
    /// Its documentation.
    pub docs: Docs,
    /// The type used in its place.
    pub external: External,
    /// What named the replacement: `codegen.toml` or `x-rust-type`.
    pub source: &'static str,
}

/// A type from outside the generated crate, used in place of a schema or of a format's
/// own type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct External {
    /// Its path (`my_money::Money`).
    pub path: String,
    /// Whether the type implements the crate's `Validate` itself; otherwise the crate
    /// implements it as "valid once parsed".
    pub validates: bool,
    /// The traits the settings say it implements (`implements = [..]`), which the
    /// types holding it may then derive.
    pub implements: Vec<crate::settings::Implemented>,
}

impl Model {
    /// The type with this id.
    pub fn get(&self, id: TypeId) -> Option<&TypeDef> {
        self.types.get(id.0)
    }
}

/// A Rust module holding one named schema and the types inlined in it.
#[derive(Debug, Clone)]
pub struct Module {
    /// The module name (snake_case).
    pub name: String,
    /// Its types: the named schema first, then its inline types in order; for a shared
    /// shape's module, the shape first, then the inline types only it uses.
    pub types: Vec<TypeId>,
    /// Whether the module holds an inline shape that types of several modules use, rather
    /// than a named schema (see `share::place`).
    pub shared: bool,
}

/// Human documentation carried from the schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `example` / `examples`.
    pub examples: Vec<Value>,
    /// For arrays: the examples of the items schema.
    pub item_examples: Vec<Value>,
    /// `deprecated`.
    pub deprecated: bool,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
}

/// One generated type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, unique in the crate).
    pub name: String,
    /// The schema name as written, or a path for inline types (`Pet.owner`).
    pub schema_name: String,
    /// Where the schema is.
    pub origin: Origin,
    /// Its documentation.
    pub docs: Docs,
    /// What it is.
    pub kind: TypeKind,
    /// For a named schema that accepts `null` itself: the schema's own name, given to
    /// `pub type {alias} = Option<{name}>` so that the whole schema, `null` included, has a
    /// type. References use `name` and hold the `Option` themselves.
    pub nullable_alias: Option<String>,
    /// What the settings and `x-rust-*` extensions add to its definition.
    pub extras: Extras,
}

/// Additions to a type's Rust definition beyond what its schema shapes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// Traits derived besides the generator's own: `Eq` wherever it holds, then each
    /// requested one that holds, as paths (`Hash`, `schemars::JsonSchema`).
    pub derives: Vec<String>,
    /// Attributes written on the type, as given (`#[doc(alias = "pet")]`).
    pub attrs: Vec<String>,
    /// Attributes written on struct fields, by property name.
    pub field_attrs: Vec<(String, Vec<String>)>,
    /// Whether the type is `#[non_exhaustive]`.
    pub non_exhaustive: bool,
    /// The visibility of a struct's fields.
    pub field_visibility: Visibility,
    /// Whether the type implements `Serialize` and `Deserialize`: asked for by `[rust]`,
    /// `[models.<schema>]` and `x-rust-serde`, and kept on wherever a type that has the
    /// trait holds this one (see [`Extras::serde_given`]).
    pub serde: Directions<bool>,
    /// What `[models.<schema>]` or `x-rust-serde` asked of this type (the settings win);
    /// `None` where neither said.
    pub serde_given: Directions<Option<bool>>,
}

/// One value for each way serde converts a type: to JSON (`serialize`) and from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directions<T> {
    /// `Serialize`.
    pub serialize: T,
    /// `Deserialize`.
    pub deserialize: T,
}

/// Both ways, as a type is unless something turns one off.
impl Default for Directions<bool> {
    fn default() -> Self {
        Directions {
            serialize: true,
            deserialize: true,
        }
    }
}

/// Nothing asked.
impl Default for Directions<Option<bool>> {
    fn default() -> Self {
        Directions {
            serialize: None,
            deserialize: None,
        }
    }
}

impl Directions<bool> {
    /// Whether serde converts the type at all, either way.
    pub fn any(self) -> bool {
        self.serialize || self.deserialize
    }

    /// Whether serde converts the type both ways.
    pub fn both(self) -> bool {
        self.serialize && self.deserialize
    }
}

impl Extras {
    /// The attributes given for the field of property `wire`.
    pub fn field_attrs(&self, wire: &str) -> &[String] {
        self.field_attrs
            .iter()
            .find(|(w, _)| w == wire)
            .map_or(&[], |(_, attrs)| attrs.as_slice())
    }
}

/// The shapes a generated type can take.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A closed or open set of scalar values.
    Enum(Enum),
    /// `oneOf` / `anyOf`.
    Union(Union),
    /// A named wrapper around another shape (`pub struct Name(pub T)`).
    Newtype(Shape),
}

/// An object type.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Fields in schema order.
    pub fields: Vec<Field>,
    /// What happens to properties not listed.
    pub additional: Additional,
    /// Object-level checks (`minProperties`, `maxProperties`).
    pub checks: Sparse<Checks>,
}

/// Properties beyond the listed ones.
#[derive(Debug, Clone)]
pub enum Additional {
    /// Accepted and dropped.
    Ignored,
    /// Rejected when deserializing.
    Denied,
    /// Kept in a flattened map with values of this shape.
    Map(Box<Shape>),
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    /// The Rust field name (snake_case, keyword-safe, unique in the struct).
    pub rust_name: String,
    /// Its type and checks.
    pub shape: Shape,
    /// Whether the property must be present.
    pub required: bool,
    /// For a required property: held as an `Option`, so that a payload without it
    /// parses, with its absence reported by `validate()` (`required = "validate"`), or, for a
    /// read-only (write-only) property, by `validate_response()` (`validate_request()`).
    pub presence_validated: bool,
    /// `default`, used when the property is absent.
    pub default: Option<Value>,
    /// Its documentation.
    pub docs: Docs,
}

impl Field {
    /// Whether the property is read-only or write-only: checked only by the validation of
    /// one direction, and never required by `validate()`.
    pub fn one_way(&self) -> bool {
        self.docs.read_only || self.docs.write_only
    }

    /// Whether validation in every direction reports this property missing: a required
    /// property held as an `Option` that is neither read-only nor write-only.
    pub fn absence_always_reported(&self) -> bool {
        self.required && self.presence_validated && !self.one_way()
    }
}

/// The representation of an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// Every value is a string.
    String,
    /// Every value is an integer.
    Integer,
    /// Anything else (numbers, mixed, booleans, null).
    Json,
}

/// An enum type.
#[derive(Debug, Clone)]
pub struct Enum {
    /// How values are held.
    pub repr: EnumRepr,
    /// The variants, in schema order.
    pub variants: Vec<EnumVariant>,
    /// Whether unknown values are kept (`Other(..)`) instead of rejected.
    pub open: bool,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The wire value.
    pub value: Value,
    /// What the value means (`x-enum-descriptions`).
    pub description: Option<String>,
}

/// Whether a union needs one match or at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnionMode {
    /// `oneOf`: exactly one branch must match.
    OneOf,
    /// `anyOf`: at least one.
    AnyOf,
}

/// A union type.
#[derive(Debug, Clone)]
pub struct Union {
    /// `oneOf` or `anyOf`.
    pub mode: UnionMode,
    /// The branches, in schema order.
    pub variants: Vec<UnionVariant>,
    /// The tag property, when a discriminator is present.
    pub discriminator: Option<String>,
    /// For the union standing for a base schema that its subtypes extend (a `discriminator`
    /// without `oneOf`/`anyOf`): the base's own struct, whose fields the branches share.
    pub base: Option<TypeId>,
}

/// One branch of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The branch's shape.
    pub shape: Shape,
    /// Discriminator values that select this branch (tagged unions only).
    pub tags: Vec<String>,
}

/// A use of a type: what it is, whether it may be null, and its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The type.
    pub ty: Ty,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Constraints checked by `validate()` (most shapes have none: stored only when given).
    pub checks: Sparse<Checks>,
}

impl Shape {
    /// A shape with no checks.
    pub fn plain(ty: Ty) -> Self {
        Shape {
            ty,
            nullable: false,
            checks: Sparse::default(),
        }
    }
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    /// `int8`.
    I8,
    /// `int16`.
    I16,
    /// `int32`.
    I32,
    /// `int64`, or no format.
    I64,
    /// `uint8`.
    U8,
    /// `uint16`.
    U16,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}

impl IntKind {
    /// The Rust type an integer with `format` is held as (`i64` when the format names no
    /// integer type).
    pub fn from_format(format: Option<&str>) -> IntKind {
        match format {
            Some("int8") => IntKind::I8,
            Some("int16") => IntKind::I16,
            Some("int32") => IntKind::I32,
            Some("uint8") => IntKind::U8,
            Some("uint16") => IntKind::U16,
            Some("uint32") => IntKind::U32,
            Some("uint64") => IntKind::U64,
            _ => IntKind::I64,
        }
    }

    /// The Rust type's name (`u16`).
    pub fn rust(self) -> &'static str {
        match self {
            IntKind::I8 => "i8",
            IntKind::I16 => "i16",
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
        }
    }

    /// The least and greatest value the Rust type holds.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntKind::I8 => (i128::from(i8::MIN), i128::from(i8::MAX)),
            IntKind::I16 => (i128::from(i16::MIN), i128::from(i16::MAX)),
            IntKind::I32 => (i128::from(i32::MIN), i128::from(i32::MAX)),
            IntKind::I64 => (i128::from(i64::MIN), i128::from(i64::MAX)),
            IntKind::U8 => (0, i128::from(u8::MAX)),
            IntKind::U16 => (0, i128::from(u16::MAX)),
            IntKind::U32 => (0, i128::from(u32::MAX)),
            IntKind::U64 => (0, i128::from(u64::MAX)),
        }
    }

    /// The value of a JSON number written as an integer, when the Rust type holds it.
    pub fn value(self, n: &serde_json::Number) -> Option<i128> {
        let i = n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))?;
        let (low, high) = self.range();
        (low..=high).contains(&i).then_some(i)
    }
}

/// Float widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatKind {
    /// `float`.
    F32,
    /// `double`, or no format.
    F64,
}

/// Types that a `format` maps to a library type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    /// `date-time` as `chrono::DateTime<chrono::FixedOffset>`.
    DateTime,
    /// `date` as `chrono::NaiveDate`.
    Date,
    /// `uuid` as `uuid::Uuid`.
    Uuid,
}

/// A Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Any JSON value (`serde_json::Value`).
    Any,
    /// `bool`.
    Bool,
    /// An integer.
    Int(IntKind),
    /// A float.
    Float(FloatKind),
    /// `String`.
    String,
    /// A library type chosen by `format`.
    Typed(Typed),
    /// A type from outside the crate, named by the settings or `x-rust-type`.
    External(Box<External>),
    /// `Vec<T>`.
    Array(Box<Shape>),
    /// A tuple `(A, B, ..)`: an array of fixed length, a shape per position (serde reads and
    /// writes it as a JSON array).
    Tuple(Vec<Shape>),
    /// A string-keyed map.
    Map(Box<Shape>),
    /// Another generated type; `boxed` where a cycle needs indirection.
    Named {
        /// The type.
        id: TypeId,
        /// Whether it is held in a `Box`.
        boxed: bool,
    },
}

impl Ty {
    /// The shapes a list, map or tuple holds: its items, values or positions (none for any
    /// other type).
    pub fn held(&self) -> &[Shape] {
        match self {
            Ty::Array(inner) | Ty::Map(inner) => std::slice::from_ref(&**inner),
            Ty::Tuple(positions) => positions,
            Ty::Any
            | Ty::Bool
            | Ty::Int(_)
            | Ty::Float(_)
            | Ty::String
            | Ty::Typed(_)
            | Ty::External(_)
            | Ty::Named { .. } => &[],
        }
    }
}
