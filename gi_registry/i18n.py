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
# tests/test_language_walk.py checks that every StrEnum in the code has its labels here.
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


# A run of four or more Latin words is an English sentence; tests/test_language_walk.py uses the same rule.
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
