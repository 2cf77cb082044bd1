"""Chinese first, English too: the words the site and maps show, and how a language is chosen."""

from enum import StrEnum


class Lang(StrEnum):
    """Languages of the site."""

    zh = "zh"
    en = "en"


DEFAULT_LANG = Lang.zh

MESSAGES: dict[str, dict[Lang, str]] = {
    "site_title": {Lang.zh: "岳阳市地理标志登记簿", Lang.en: "Yueyang GI Registry"},
    "tagline": {
        Lang.zh: "岳阳市地理标志产品、保护、生产者与标准，每条事实注明来源。",
        Lang.en: "Yueyang's geographical-indication products, protections, producers and standards, "
        "every fact with its source.",
    },
    "nav_home": {Lang.zh: "首页", Lang.en: "Home"},
    "nav_standards": {Lang.zh: "标准", Lang.en: "Standards"},
    "nav_verify": {Lang.zh: "标志核验", Lang.en: "Verify a label"},
    "nav_about": {Lang.zh: "关于数据", Lang.en: "About the data"},
    "nav_api": {Lang.zh: "开放接口", Lang.en: "API"},
    "switch_lang": {Lang.zh: "English", Lang.en: "中文"},
    "search": {Lang.zh: "搜索", Lang.en: "Search"},
    "search_placeholder": {
        Lang.zh: "名称、拼音或英文，如 黄茶、yyhc",
        Lang.en: "Name, pinyin or English, e.g. yellow tea",
    },
    "results": {Lang.zh: "个结果", Lang.en: "results"},
    "gi_products": {Lang.zh: "地理标志产品", Lang.en: "GI products"},
    "name": {Lang.zh: "名称", Lang.en: "Name"},
    "protections": {Lang.zh: "保护", Lang.en: "Protections"},
    "confidence": {Lang.zh: "可信度", Lang.en: "Confidence"},
    "county": {Lang.zh: "县市区", Lang.en: "County"},
    "counties": {Lang.zh: "县市区", Lang.en: "Counties"},
    "category": {Lang.zh: "类别", Lang.en: "Category"},
    "number": {Lang.zh: "编号", Lang.en: "Number"},
    "registration_date": {Lang.zh: "登记/批准日期", Lang.en: "Registration date"},
    "holder": {Lang.zh: "持有人", Lang.en: "Holder"},
    "applicant": {Lang.zh: "申请人", Lang.en: "Applicant"},
    "authority": {Lang.zh: "主管机关", Lang.en: "Authority"},
    "status": {Lang.zh: "状态", Lang.en: "Status"},
    "term": {Lang.zh: "商标有效期", Lang.en: "Trademark term"},
    "sources": {Lang.zh: "来源", Lang.en: "Sources"},
    "production_area": {Lang.zh: "产地范围", Lang.en: "Production area"},
    "standards": {Lang.zh: "标准", Lang.en: "Standards"},
    "producers": {Lang.zh: "生产者", Lang.en: "Producers"},
    "unknown": {Lang.zh: "未知", Lang.en: "unknown"},
    "none_recorded": {Lang.zh: "暂无记录", Lang.en: "none recorded"},
    "map": {Lang.zh: "地图", Lang.en: "Map"},
    "overview_map": {Lang.zh: "岳阳市地理标志分布图", Lang.en: "Map of Yueyang's GIs"},
    "label_switch_map": {Lang.zh: "专用标志换标进度图", Lang.en: "Label-switch progress map"},
    "about_title": {Lang.zh: "关于数据", Lang.en: "About the data"},
    "official_total": {Lang.zh: "官方总数", Lang.en: "Official total"},
    "recorded": {Lang.zh: "已记录", Lang.en: "Recorded"},
    "missing": {Lang.zh: "尚缺", Lang.en: "Missing"},
    "most_unknown": {Lang.zh: "最常缺失的字段", Lang.en: "Most often unknown"},
    "coverage_by_county": {Lang.zh: "各县市区已记录数", Lang.en: "Recorded per county"},
    "coverage_by_county_note": {
        Lang.zh: "官方总数只公布到全市一级；某县若有自己公布的总数，显示为“已记录/总数”。"
        "同一产品跨县时在每个县都计入；全市范围的产品只计入“全市”一行。",
        Lang.en: "Official totals are published for the city as a whole; where a county publishes its own, "
        "it shows as recorded / total. A product of several counties counts in each; a city-wide product "
        "counts only in the whole-city row.",
    },
    "whole_city_row": {Lang.zh: "全市（来源未分县）", Lang.en: "Whole city (sources do not split it)"},
    "unknown_by_gi": {Lang.zh: "各产品尚未知的字段", Lang.en: "Fields still unknown, by product"},
    "mark_type": {Lang.zh: "商标类型", Lang.en: "Mark type"},
    "still_unknown": {Lang.zh: "尚未知", Lang.en: "Still unknown"},
    "verify_title": {Lang.zh: "地理标志专用标志核验", Lang.en: "Verify a GI special mark"},
    "verify_help": {
        Lang.zh: "输入标志上印制的统一社会信用代码（18位）。",
        Lang.en: "Type the unified social credit code (18 characters) printed on the GI special mark.",
    },
    "verify_button": {Lang.zh: "核验", Lang.en: "Verify"},
    "verify_unknown": {
        Lang.zh: "登记簿中没有使用该代码的生产者，无法确认此标志。",
        Lang.en: "No producer with this code is in the registry: the label cannot be confirmed.",
    },
    "verify_malformed": {
        Lang.zh: "这不是格式正确的统一社会信用代码：代码由18位字母和数字组成。",
        Lang.en: "This is not a well-formed unified social credit code: it has 18 letters and digits.",
    },
    "verify_no_authorization": {
        Lang.zh: "该生产者已登记，但登记簿中没有其使用地理标志专用标志的核准记录。",
        Lang.en: "This producer is registered, but the registry holds no authorization for it to use the GI "
        "special mark.",
    },
    "verify_found": {
        Lang.zh: "该生产者获准使用以下地理标志专用标志：",
        Lang.en: "This producer is authorized to use the special mark of:",
    },
    "label_version": {Lang.zh: "标志版本", Lang.en: "Label version"},
    "authorized_on": {Lang.zh: "核准日期", Lang.en: "Authorized"},
    "announcement": {Lang.zh: "公告号", Lang.en: "Announcement"},
    "role": {Lang.zh: "角色", Lang.en: "Role"},
    "not_found_title": {Lang.zh: "未找到", Lang.en: "Not found"},
    "scan_to_verify": {Lang.zh: "扫码核验", Lang.en: "Scan to verify"},
    "legend": {Lang.zh: "图例", Lang.en: "Legend"},
    "layer_context": {Lang.zh: "周边市州", Lang.en: "Neighbouring prefectures"},
    "layer_counties": {Lang.zh: "县市区", Lang.en: "Counties"},
    "layer_labels": {Lang.zh: "县市区名称", Lang.en: "County names"},
    "layer_areas": {Lang.zh: "地理标志产地范围", Lang.en: "GI production areas"},
    "layer_producers": {Lang.zh: "生产者", Lang.en: "Producers"},
    "layer_switch": {Lang.zh: "统一标志占比", Lang.en: "Share on the unified mark"},
    "basis_declared_range": {
        Lang.zh: "来源公布的坐标范围",
        Lang.en: "coordinate range published by the source",
    },
    "basis_whole_city": {Lang.zh: "岳阳市全境", Lang.en: "the whole of Yueyang"},
    "basis_counties": {Lang.zh: "所列县市区", Lang.en: "the counties named"},
    "basis_townships": {
        Lang.zh: "所列乡镇所在县（尚无乡镇边界数据）",
        Lang.en: "counties of the townships named (township boundaries not on record)",
    },
    "basis_uploaded_area": {
        Lang.zh: "主管部门上传的产地范围图",
        Lang.en: "production-area map uploaded by the authority",
    },
    "basis_township_polygons": {
        Lang.zh: "所列乡镇的边界",
        Lang.en: "boundaries of the townships named",
    },
    "drawn_as": {Lang.zh: "地图绘制依据", Lang.en: "Drawn on the map from"},
    "area_versions": {Lang.zh: "产地范围图版本", Lang.en: "Versions of the area map"},
    "valid_from": {Lang.zh: "起始日期", Lang.en: "valid from"},
    "valid_to": {Lang.zh: "截止日期", Lang.en: "until"},
    "current": {Lang.zh: "现行", Lang.en: "current"},
    "layer_townships": {Lang.zh: "乡镇边界", Lang.en: "Township boundaries"},
    "layer_earlier_versions": {Lang.zh: "产地范围历史版本", Lang.en: "Earlier versions of the areas"},
    "producers_located": {Lang.zh: "个生产者有位置", Lang.en: "producers with a known location"},
    "layer_not_loaded": {Lang.zh: "图层未能载入", Lang.en: "layer could not be loaded"},
    "more_gis": {Lang.zh: "更多产品见县市区页面", Lang.en: "more products on the county's page"},
    "no_authorizations": {
        Lang.zh: "尚无专用标志核准记录",
        Lang.en: "no special-mark authorizations on record yet",
    },
    "authorized_users": {Lang.zh: "获准用标生产者", Lang.en: "authorized producers"},
    "on_unified": {Lang.zh: "使用统一标志", Lang.en: "on the unified mark"},
    "open_page": {Lang.zh: "查看详情", Lang.en: "Open page"},
}

KIND_LABELS: dict[str, dict[Lang, str]] = {
    "gi_trademark": {Lang.zh: "地理标志商标", Lang.en: "GI trademark"},
    "gi_protected_product": {Lang.zh: "地理标志保护产品", Lang.en: "GI protected product"},
    "agricultural_product_gi": {Lang.zh: "农产品地理标志", Lang.en: "Agricultural-product GI"},
}


def t(key: str, lang: Lang) -> str:
    """The message `key` in `lang`."""
    return MESSAGES[key][lang]


def kind_label(kind: str, lang: Lang) -> str:
    """The name of a protection kind in `lang`."""
    return KIND_LABELS[kind][lang]


def pick_lang(query: str | None, cookie: str | None, accept_language: str | None) -> Lang:
    """`?lang=` first, then the remembered cookie, then the browser's first zh/en preference, else Chinese."""
    for value in (query, cookie):
        if value in Lang.__members__:
            return Lang(value)
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return Lang.zh
        if tag.startswith("en"):
            return Lang.en
    return DEFAULT_LANG
