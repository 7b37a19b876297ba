//! The systems: HCNetSDK, the Hikvision tables of `hcnetsdk::error`, and this crate's
//! generated tables, in search order.

use hcnetsdk::ErrorCode;
use hcnetsdk::error::table::{
    Alternative, CodeTable, Entry, EntryKind, HCNETSDK_ID, NumberFormat, Range, Variant,
};
use hcnetsdk::error::{Category, CodeInfo, RemediationSource, Retry, codes};

include!("generated/systems.rs");

/// One error system (a catalogue).
#[derive(Debug)]
#[non_exhaustive]
pub struct System {
    /// The id used by `--system`, e.g. `"hcnetsdk"`, `"tencent_iot_video"`.
    pub id: &'static str,
    /// The product name, e.g. `"Tencent IoT Video SDK"`.
    pub name: &'static str,
    /// How the system writes its codes.
    pub number_format: NumberFormat,
    /// What the codes are and where they appear.
    pub description: &'static str,
    /// The system's code ranges and the module each belongs to (may be empty).
    pub ranges: &'static [Range],
    /// Internal provenance: the number of the project source file the data comes from.
    /// [`system`] accepts it as an alias (`"001"` or `"1"`); it is never shown.
    source_number: Option<&'static str>,
    table: Table,
}

#[derive(Debug)]
enum Table {
    /// The `ErrorCode` catalogue.
    HcNetSdk,
    /// A table of entries.
    Static(&'static [Entry]),
}

impl PartialEq for System {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for System {}

const HCNETSDK_SYSTEM: System = System {
    id: HCNETSDK_ID,
    name: "Hikvision HCNetSDK (Device Network SDK)",
    number_format: NumberFormat::Decimal,
    description: "Codes returned by NET_DVR_GetLastError after a failed HCNetSDK call.",
    ranges: &[],
    source_number: Some("000"),
    table: Table::HcNetSdk,
};

impl System {
    /// A system over a [`CodeTable`].
    const fn new(t: &'static CodeTable, source_number: Option<&'static str>) -> System {
        System {
            id: t.id,
            name: t.name,
            number_format: t.number_format,
            description: t.description,
            ranges: t.ranges,
            source_number,
            table: Table::Static(t.entries),
        }
    }

    /// Every entry, in catalogue order.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = Entry> + 'static {
        let (codes, table): (&'static [CodeInfo], &'static [Entry]) = match self.table {
            Table::HcNetSdk => (codes(), &[]),
            Table::Static(t) => (&[], t),
        };
        codes
            .iter()
            .map(Entry::from)
            .chain(table.iter().copied())
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// How many entries the system has.
    #[must_use]
    pub fn len(&self) -> usize {
        match self.table {
            Table::HcNetSdk => codes().len(),
            Table::Static(t) => t.len(),
        }
    }

    /// Whether the system has no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The range (module) `value` falls in, if the system partitions its codes.
    #[must_use]
    pub fn range_of(&self, value: u32) -> Option<&'static Range> {
        self.ranges.iter().find(|r| r.contains(value))
    }

    /// Formats a value the way this system writes it: `51603`, or `0x20013007 (536948743)`.
    #[must_use]
    pub fn format_value(&self, value: u32) -> String {
        self.number_format.format(value)
    }

    pub(crate) fn entries_with_value(&self, value: u32) -> Vec<Entry> {
        match self.table {
            Table::HcNetSdk => ErrorCode::from_raw(value)
                .info()
                .map(Entry::from)
                .into_iter()
                .collect(),
            Table::Static(t) => t
                .iter()
                .filter(|e| e.value == Some(value))
                .copied()
                .collect(),
        }
    }
}

/// `--system` named no known system.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown system {given:?}; known systems: {}", known_ids())]
#[non_exhaustive]
pub struct UnknownSystem {
    /// What was asked for.
    pub given: String,
}

impl UnknownSystem {
    /// The valid system ids, in order.
    #[must_use]
    pub fn valid(&self) -> Vec<&'static str> {
        systems().iter().map(|s| s.id).collect()
    }
}

fn known_ids() -> String {
    systems()
        .iter()
        .map(|s| s.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every system, most likely first: HCNetSDK, PlayM4, ISAPI, then the other vendors'.
#[must_use]
pub fn systems() -> &'static [System] {
    &SYSTEMS
}

/// The system with this id (any case).
///
/// ```
/// assert_eq!(hcnet_explain::system("PlayM4").unwrap().id, "playm4");
/// ```
///
/// # Errors
///
/// [`UnknownSystem`], whose message lists the valid ids, when nothing matches.
pub fn system(id: &str) -> Result<&'static System, UnknownSystem> {
    let want = id.trim();
    let as_number = want.trim_start_matches('0');
    systems()
        .iter()
        .find(|s| s.id.eq_ignore_ascii_case(want))
        .or_else(|| {
            systems().iter().find(|s| {
                !want.is_empty()
                    && want.bytes().all(|b| b.is_ascii_digit())
                    && s.source_number
                        .is_some_and(|n| n.trim_start_matches('0') == as_number)
            })
        })
        .ok_or_else(|| UnknownSystem {
            given: id.to_owned(),
        })
}

/// Every entry of one system, or of all systems in order, for dumps (`explain --list`).
///
/// # Errors
///
/// [`UnknownSystem`] when `system` names no known system.
pub fn list(system: Option<&str>) -> Result<Vec<Entry>, UnknownSystem> {
    Ok(chosen(system)?
        .into_iter()
        .flat_map(|s| s.entries())
        .collect())
}

/// The one system named, or every system.
pub(crate) fn chosen(system: Option<&str>) -> Result<Vec<&'static System>, UnknownSystem> {
    Ok(match system {
        Some(id) => vec![self::system(id)?],
        None => systems().iter().collect(),
    })
}
