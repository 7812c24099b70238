//! Typed Open Referral HSDS 3.0 objects: the parts of the compiled `service` and
//! `organization` shapes that wegwijzer writes and reads. Every field the catalog may
//! lack is optional and left out when empty, so nothing is written without a fact
//! behind it; fields this model does not know are ignored when reading (the importer
//! reports them).

use serde::{Deserialize, Serialize};

fn none<T>(v: &Option<T>) -> bool {
    v.is_none()
}

fn empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

/// An organization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// UUID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description (required by HSDS).
    #[serde(default)]
    pub description: String,
    /// Website.
    #[serde(default, skip_serializing_if = "none")]
    pub website: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "none")]
    pub email: Option<String>,
}

/// A service (the compiled shape: nested objects inline).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// UUID.
    pub id: String,
    /// The organization's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub organization_id: Option<String>,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "none")]
    pub description: Option<String>,
    /// Website.
    #[serde(default, skip_serializing_if = "none")]
    pub url: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "none")]
    pub email: Option<String>,
    /// `active`, `inactive`, `defunct` or `temporarily closed`.
    pub status: String,
    /// A short warning.
    #[serde(default, skip_serializing_if = "none")]
    pub alert: Option<String>,
    /// Who it is for, in words.
    #[serde(default, skip_serializing_if = "none")]
    pub eligibility_description: Option<String>,
    /// Youngest age.
    #[serde(default, skip_serializing_if = "none")]
    pub minimum_age: Option<serde_json::Number>,
    /// Oldest age.
    #[serde(default, skip_serializing_if = "none")]
    pub maximum_age: Option<serde_json::Number>,
    /// How to apply.
    #[serde(default, skip_serializing_if = "none")]
    pub application_process: Option<String>,
    /// What it costs, in words.
    #[serde(default, skip_serializing_if = "none")]
    pub fees_description: Option<String>,
    /// Date last checked.
    #[serde(default, skip_serializing_if = "none")]
    pub assured_date: Option<String>,
    /// Phones.
    #[serde(default, skip_serializing_if = "empty")]
    pub phones: Vec<Phone>,
    /// Opening hours.
    #[serde(default, skip_serializing_if = "empty")]
    pub schedules: Vec<Schedule>,
    /// Areas served.
    #[serde(default, skip_serializing_if = "empty")]
    pub service_areas: Vec<ServiceArea>,
    /// Places where it is given.
    #[serde(default, skip_serializing_if = "empty")]
    pub service_at_locations: Vec<ServiceAtLocation>,
    /// Languages.
    #[serde(default, skip_serializing_if = "empty")]
    pub languages: Vec<Language>,
    /// The organization, nested (as in the compiled shape).
    #[serde(default, skip_serializing_if = "none")]
    pub organization: Option<Organization>,
    /// Costs with amounts.
    #[serde(default, skip_serializing_if = "empty")]
    pub cost_options: Vec<CostOption>,
    /// Classifications.
    #[serde(default, skip_serializing_if = "empty")]
    pub attributes: Vec<Attribute>,
    /// Change records.
    #[serde(default, skip_serializing_if = "empty")]
    pub metadata: Vec<Metadata>,
}

/// A phone number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Phone {
    /// UUID.
    pub id: String,
    /// The service's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    /// The number.
    pub number: String,
    /// What it is for, and when it is answered.
    #[serde(default, skip_serializing_if = "none")]
    pub description: Option<String>,
}

/// Weekly opening hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// UUID.
    pub id: String,
    /// The service's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    /// The location's UUID, when the hours are for one place.
    #[serde(default, skip_serializing_if = "none")]
    pub location_id: Option<String>,
    /// `WEEKLY`.
    #[serde(default, skip_serializing_if = "none")]
    pub freq: Option<String>,
    /// iCalendar days, `MO,TU`.
    #[serde(default, skip_serializing_if = "none")]
    pub byday: Option<String>,
    /// Opens at, `HH:MM`.
    #[serde(default, skip_serializing_if = "none")]
    pub opens_at: Option<String>,
    /// Closes at, `HH:MM`.
    #[serde(default, skip_serializing_if = "none")]
    pub closes_at: Option<String>,
    /// In words.
    #[serde(default, skip_serializing_if = "none")]
    pub description: Option<String>,
}

/// An area served.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceArea {
    /// UUID.
    pub id: String,
    /// The service's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    /// Name (a gemeente, or `Nederland`).
    #[serde(default, skip_serializing_if = "none")]
    pub name: Option<String>,
}

/// A service at a location.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceAtLocation {
    /// UUID.
    pub id: String,
    /// The service's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    /// The location, nested.
    #[serde(default, skip_serializing_if = "none")]
    pub location: Option<Location>,
}

/// A place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// UUID.
    pub id: String,
    /// `physical`, `postal` or `virtual`.
    pub location_type: String,
    /// Name.
    #[serde(default, skip_serializing_if = "none")]
    pub name: Option<String>,
    /// Addresses.
    #[serde(default, skip_serializing_if = "empty")]
    pub addresses: Vec<Address>,
    /// Accessibility notes.
    #[serde(default, skip_serializing_if = "empty")]
    pub accessibility: Vec<Accessibility>,
}

/// An address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// UUID.
    pub id: String,
    /// The location's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub location_id: Option<String>,
    /// Street and number.
    pub address_1: String,
    /// Town.
    pub city: String,
    /// Province.
    pub state_province: String,
    /// Postcode.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// `physical`, `postal` or `virtual`.
    pub address_type: String,
}

/// An accessibility note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Accessibility {
    /// UUID.
    pub id: String,
    /// The location's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub location_id: Option<String>,
    /// In words.
    #[serde(default, skip_serializing_if = "none")]
    pub description: Option<String>,
}

/// A language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Language {
    /// UUID.
    pub id: String,
    /// The service's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "none")]
    pub name: Option<String>,
    /// ISO 639-1 code.
    #[serde(default, skip_serializing_if = "none")]
    pub code: Option<String>,
}

/// A cost with an amount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CostOption {
    /// UUID.
    pub id: String,
    /// The service's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    /// Amount.
    #[serde(default, skip_serializing_if = "none")]
    pub amount: Option<serde_json::Number>,
    /// In words.
    #[serde(default, skip_serializing_if = "none")]
    pub amount_description: Option<String>,
}

/// A link from a service to a taxonomy term.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// UUID.
    pub id: String,
    /// The linked object's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub link_id: Option<String>,
    /// The linked object's kind.
    #[serde(default, skip_serializing_if = "none")]
    pub link_entity: Option<String>,
    /// The term's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub taxonomy_term_id: Option<String>,
    /// A value for the link.
    #[serde(default, skip_serializing_if = "none")]
    pub value: Option<String>,
    /// The term, nested.
    #[serde(default, skip_serializing_if = "none")]
    pub taxonomy_term: Option<TaxonomyTerm>,
}

/// A taxonomy term.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaxonomyTerm {
    /// UUID.
    pub id: String,
    /// Code.
    #[serde(default, skip_serializing_if = "none")]
    pub code: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// The taxonomy's name.
    #[serde(default, skip_serializing_if = "none")]
    pub taxonomy: Option<String>,
    /// The taxonomy's UUID.
    #[serde(default, skip_serializing_if = "none")]
    pub taxonomy_id: Option<String>,
    /// The taxonomy, nested.
    #[serde(default, skip_serializing_if = "none")]
    pub taxonomy_detail: Option<Taxonomy>,
    /// Language of the term.
    #[serde(default, skip_serializing_if = "none")]
    pub language: Option<String>,
}

/// A taxonomy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    /// UUID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
}

/// A change record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// UUID.
    pub id: String,
    /// The object's UUID.
    pub resource_id: String,
    /// The object's kind.
    pub resource_type: String,
    /// When.
    pub last_action_date: String,
    /// What.
    pub last_action_type: String,
    /// The field changed.
    #[serde(default)]
    pub field_name: String,
    /// Before.
    #[serde(default)]
    pub previous_value: String,
    /// After.
    #[serde(default)]
    pub replacement_value: String,
    /// By whom.
    #[serde(default)]
    pub updated_by: String,
}
