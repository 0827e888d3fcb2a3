"""The fixed part of the demo data set (演示数据): who exists where, and what each facility is.

Everything here is invented for demonstration. Place names and codes are real (GB/T 2260
rows in use, GB/T 4754-2017 industry divisions); the organisations and people are not.
Counties for provinces other than 北京 and 上海 are drawn from the Division table with the
seeded random generator, so the data set always uses codes that are in use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The one password of every demo account (shown on screen by ``tuoyu serve --demo``).
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo credential, by design

#: ``source_system`` of every row the demo creates, so it can find its own rows again.
DEMO_SOURCE = "demo"
#: ``source_system`` of the rows created by ``tuoyu demo --facilities N``.
BULK_SOURCE = "demo-bulk"

BEIJING_HAIDIAN = "110108"
SHANGHAI_PUDONG = "310115"

# Credit-code prefix (registration department + organisation category, GB 32100-2015)
# that goes with each ownership type.
CREDIT_PREFIX_FOR_OWNERSHIP = {
    "agency": "11",
    "institution": "12",
    "state": "91",
    "collective": "93",
    "private": "91",
    "foreign": "91",
    "hmt": "91",
    "park": "91",
    "social": "52",
    "other": "Y1",
}


@dataclass(frozen=True)
class EmployerSpec:
    """An employer (用人单位) of the demo: ``key`` is its stable external id.

    ``county`` is a 6-digit division code, or ``None`` to draw an active county of
    ``province`` with the seeded generator. ``industry`` is a GB/T 4754-2017 division code.
    """

    key: str
    province: str
    name: str
    industry: str
    ownership: str
    headcount: int
    county: str | None = None


@dataclass(frozen=True)
class FacilitySpec:
    """A facility (托育机构) of the demo and the state its filing is left in.

    ``classes`` lists (class type, capacity, children enrolled, carers); every layout meets
    the national caps and ratios. ``breaks`` names the rules the facility is made to break
    *after* its filing reached ``status`` (the situation changed since, or the officer
    returned it for that reason): ``over_cap``, ``ratio``, ``expired_cert``, ``wrong_band``,
    ``no_health_worker``.
    """

    key: str
    employer: str
    name: str
    model: str
    status: str
    classes: tuple[tuple[str, int, int, int], ...]
    operator: str | None = None  # provider key, when a provider runs it
    co_sponsors: tuple[str, ...] = ()
    breaks: tuple[str, ...] = ()
    # ¥ per child per month for every service form, as the registry stores them (计时托
    # and 临时托 included: a monthly figure, not a price per hour or per day).
    fees: dict[str, int] = field(default_factory=lambda: {"full_day": 2200})
    tenure: str = "provided"
    floor: int = 1


EMPLOYERS: tuple[EmployerSpec, ...] = (
    EmployerSpec("emp-bj-zhilian", "110000", "北京中关村智联软件有限公司", "65", "private", 2400, BEIJING_HAIDIAN),
    EmployerSpec("emp-bj-fuyou", "110000", "北京市海淀区妇幼保健院", "84", "institution", 860, BEIJING_HAIDIAN),
    EmployerSpec("emp-sh-zhangjiang", "310000", "上海张江集成电路产业园区管理有限公司", "72", "park", 5200, SHANGHAI_PUDONG),
    EmployerSpec("emp-sh-pujiang", "310000", "上海浦江航运集团有限公司", "55", "state", 3100, SHANGHAI_PUDONG),
    EmployerSpec("emp-tj", "120000", "天津港湾物流股份有限公司", "58", "state", 1800),
    EmployerSpec("emp-he", "130000", "河北燕赵钢铁集团有限公司", "31", "state", 9600),
    EmployerSpec("emp-sx", "140000", "山西晋能煤业有限公司", "06", "state", 7300),
    EmployerSpec("emp-nm", "150000", "内蒙古草原乳业股份有限公司", "14", "private", 4100),
    EmployerSpec("emp-ln", "210000", "辽宁沈北装备制造有限公司", "34", "state", 2600),
    EmployerSpec("emp-jl", "220000", "吉林长白汽车部件（中外合资）有限公司", "36", "foreign", 3300),
    EmployerSpec("emp-hl", "230000", "黑龙江北大荒稻米专业合作社", "01", "collective", 420),
    EmployerSpec("emp-js", "320000", "江苏苏南电子科技有限公司", "39", "hmt", 6800),
    EmployerSpec("emp-zj", "330000", "杭州西湖电子商务有限公司", "51", "private", 1500),
    EmployerSpec("emp-ah", "340000", "安徽江淮新能源汽车有限公司", "36", "state", 8800),
    EmployerSpec("emp-fj", "350000", "福建闽台纺织有限公司", "17", "hmt", 2100),
    EmployerSpec("emp-jx", "360000", "江西省直机关事务管理局", "92", "agency", 650),
    EmployerSpec("emp-sd", "370000", "山东齐鲁建设集团有限公司", "47", "state", 5400),
    EmployerSpec("emp-ha", "410000", "河南中原商业银行股份有限公司", "66", "state", 3900),
    EmployerSpec("emp-hb", "420000", "湖北光谷生物医药产业园", "27", "park", 4600),
    EmployerSpec("emp-hn", "430000", "湖南湘江电力有限公司", "44", "state", 2900),
    EmployerSpec("emp-gd", "440000", "广东深南电子制造有限公司", "39", "foreign", 12000),
    EmployerSpec("emp-gx", "450000", "广西八桂商贸有限公司", "52", "private", 900),
    EmployerSpec("emp-hi", "460000", "海南椰海国际酒店有限公司", "61", "private", 700),
    EmployerSpec("emp-cq", "500000", "重庆山城物流有限公司", "54", "private", 1300),
    EmployerSpec("emp-sc", "510000", "四川天府实验幼儿园", "83", "institution", 160),
    EmployerSpec("emp-gz", "520000", "贵州黔云大数据有限公司", "64", "state", 1100),
    EmployerSpec("emp-yn", "530000", "云南彩云出版传媒集团有限公司", "86", "state", 1700),
    EmployerSpec("emp-xz", "540000", "西藏自治区高原病医院", "84", "institution", 480),
    EmployerSpec("emp-sn", "610000", "陕西秦岭农业科学研究院", "73", "institution", 560),
    EmployerSpec("emp-gs", "620000", "甘肃河西水务有限公司", "46", "state", 830),
    EmployerSpec("emp-qh", "630000", "青海盐湖化工股份有限公司", "26", "state", 5100),
    EmployerSpec("emp-nx", "640000", "宁夏贺兰山社会工作服务中心", "85", "social", 120),
    EmployerSpec("emp-xj", "650000", "新疆天山物业服务中心", "70", "other", 640),
)

#: Providers (托育服务机构) that run facilities for employers: (key, province, county, name).
PROVIDERS: tuple[tuple[str, str, str | None, str], ...] = (
    ("prov-bj-hemiao", "110000", BEIJING_HAIDIAN, "北京禾苗托育服务有限公司"),
    ("prov-sh-xiaoshu", "310000", SHANGHAI_PUDONG, "上海小树苗托育管理有限公司"),
    ("prov-gd-yangguang", "440000", None, "广东阳光宝贝托育服务有限公司"),
)

# Typical class layouts: (class type, capacity, children, carers).
_STANDARD = (("infant", 10, 8, 4), ("toddler", 15, 12, 3), ("older", 20, 16, 3))
_SMALL = (("toddler", 15, 10, 3), ("older", 20, 14, 3))
_MIXED = (("mixed", 18, 14, 4), ("older", 20, 15, 3))
_LARGE = (
    ("infant", 10, 9, 4), ("infant", 10, 7, 4), ("toddler", 15, 14, 3),
    ("toddler", 15, 13, 3), ("older", 20, 18, 3), ("older", 20, 17, 3),
)

FACILITIES: tuple[FacilitySpec, ...] = (
    # 北京 海淀: the employer's own pages show a draft to submit, one under review, one filed.
    FacilitySpec("fac-bj-zhilian-main", "emp-bj-zhilian", "中关村智联职工托育中心", "employer_built", "draft", _STANDARD),
    FacilitySpec("fac-bj-zhilian-wdk", "emp-bj-zhilian", "智联宝贝托育园（五道口）", "third_party", "submitted", _SMALL,
                 operator="prov-bj-hemiao", fees={"full_day": 3200, "half_day": 1900}, tenure="leased"),
    FacilitySpec("fac-bj-joint", "emp-bj-zhilian", "海淀科技园联合托育中心", "joint", "filed", _LARGE,
                 co_sponsors=("emp-bj-fuyou",), fees={"full_day": 2600, "hourly": 1200}),
    FacilitySpec("fac-bj-overcap", "emp-bj-zhilian", "智联小小班托育室", "employer_built", "draft",
                 (("infant", 10, 9, 4), ("toddler", 15, 10, 3)), breaks=("over_cap",)),
    FacilitySpec("fac-bj-fuyou", "emp-bj-fuyou", "海淀妇幼医育结合托育中心", "medical", "returned",
                 (("infant", 10, 9, 4), ("toddler", 15, 12, 3)), breaks=("ratio",)),
    # 上海 浦东
    FacilitySpec("fac-sh-park", "emp-sh-zhangjiang", "张江科学城园区托育中心", "park", "submitted", _LARGE,
                 operator="prov-sh-xiaoshu", fees={"full_day": 3800, "half_day": 2200, "occasional": 1000}),
    FacilitySpec("fac-sh-park2", "emp-sh-zhangjiang", "张江园区第二托育点", "park", "change_submitted", _STANDARD,
                 operator="prov-sh-xiaoshu"),
    FacilitySpec("fac-sh-pujiang", "emp-sh-pujiang", "浦江航运职工托育室", "employer_built", "cancelled", _SMALL),
    FacilitySpec("fac-sh-nohealth", "emp-sh-pujiang", "浦江航运滨江托育点", "employer_built", "draft", _SMALL,
                 breaks=("no_health_worker",)),
    # One facility in every other province.
    FacilitySpec("fac-tj", "emp-tj", "天津港湾职工托育中心", "employer_built", "draft", _STANDARD, breaks=("wrong_band",)),
    FacilitySpec("fac-he", "emp-he", "燕赵钢铁爱心托育中心", "employer_built", "filed", _STANDARD, breaks=("expired_cert",)),
    FacilitySpec("fac-sx", "emp-sx", "晋能煤业职工托育园", "third_party", "filed", _SMALL, fees={"full_day": 1500}),
    FacilitySpec("fac-nm", "emp-nm", "草原乳业托育中心", "employer_built", "submitted", _MIXED),
    FacilitySpec("fac-ln", "emp-ln", "沈北装备职工托育室", "employer_built", "returned", _SMALL),
    FacilitySpec("fac-jl", "emp-jl", "长白汽车部件托育中心", "third_party", "filed", _STANDARD, tenure="leased"),
    FacilitySpec("fac-hl", "emp-hl", "北大荒合作社托育点", "joint", "filed", (("mixed", 18, 12, 4),),
                 fees={"full_day": 900}),
    FacilitySpec("fac-js", "emp-js", "苏南电子职工托育中心", "employer_built", "change_submitted", _LARGE),
    FacilitySpec("fac-zj", "emp-zj", "西湖电商托育园", "third_party", "submitted", _SMALL,
                 fees={"full_day": 3000, "hourly": 1400}, tenure="leased", floor=2),
    FacilitySpec("fac-ah", "emp-ah", "江淮汽车爱心托育中心", "employer_built", "filed", _STANDARD),
    FacilitySpec("fac-fj", "emp-fj", "闽台纺织职工托育室", "employer_built", "cancelled", _SMALL),
    FacilitySpec("fac-jx", "emp-jx", "省直机关托育中心", "employer_built", "revoked", _STANDARD),
    FacilitySpec("fac-sd", "emp-sd", "齐鲁建设托育园", "third_party", "draft", _STANDARD),
    FacilitySpec("fac-ha", "emp-ha", "中原银行职工托育中心", "employer_built", "suspended", _SMALL),
    FacilitySpec("fac-hb", "emp-hb", "光谷生物园区托育中心", "park", "filed", _LARGE, fees={"full_day": 2400, "half_day": 1400}),
    FacilitySpec("fac-hn", "emp-hn", "湘江电力托育室", "employer_built", "submitted", _SMALL),
    FacilitySpec("fac-gd", "emp-gd", "深南电子阳光托育中心", "third_party", "filed", _LARGE,
                 operator="prov-gd-yangguang", fees={"full_day": 2800, "occasional": 900}, tenure="leased"),
    FacilitySpec("fac-gx", "emp-gx", "八桂商贸职工托育点", "employer_built", "returned", _SMALL),
    FacilitySpec("fac-hi", "emp-hi", "椰海酒店职工托育室", "employer_built", "filed", _MIXED),
    FacilitySpec("fac-cq", "emp-cq", "山城物流托育中心", "third_party", "submitted", _STANDARD),
    FacilitySpec("fac-sc", "emp-sc", "天府实验幼儿园托班", "kindergarten", "filed", (("older", 20, 18, 3), ("older", 20, 16, 3)),
                 fees={"full_day": 1200}),
    FacilitySpec("fac-gz", "emp-gz", "黔云大数据托育中心", "employer_built", "draft", _SMALL),
    FacilitySpec("fac-yn", "emp-yn", "彩云传媒职工托育室", "employer_built", "filed", _SMALL),
    FacilitySpec("fac-xz", "emp-xz", "高原病医院医育结合托育点", "medical", "filed", (("toddler", 15, 8, 3),),
                 fees={"full_day": 800}),
    FacilitySpec("fac-sn", "emp-sn", "秦岭农科院托育室", "employer_built", "submitted", _SMALL),
    FacilitySpec("fac-gs", "emp-gs", "河西水务托育点", "employer_built", "filed", _SMALL),
    FacilitySpec("fac-qh", "emp-qh", "盐湖化工职工托育中心", "employer_built", "filed", _STANDARD),
    FacilitySpec("fac-nx", "emp-nx", "贺兰山社区托育服务点", "joint", "draft", (("mixed", 18, 10, 4),)),
    FacilitySpec("fac-xj", "emp-xj", "天山物业托育室", "employer_built", "filed", _SMALL),
)


@dataclass(frozen=True)
class AccountSpec:
    """A demo account: ``org`` is the key of the organisation it is a member of."""

    username: str
    role: str
    org: str
    display_name: str
    staff: bool = False


#: One account per role, two provinces (北京 海淀, 上海 浦东) for employer and officer roles.
ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("employer-bj", "employer_admin", "emp-bj-zhilian", "王敏（智联人事部）"),
    AccountSpec("employer-sh", "employer_admin", "emp-sh-zhangjiang", "陈静（张江园区）"),
    AccountSpec("operator-bj", "facility_operator", "prov-bj-hemiao", "刘芳（禾苗托育）"),
    AccountSpec("health-bj", "health_officer", "health-110108", "李卫（海淀区卫健委）"),
    AccountSpec("health-sh", "health_officer", "health-310115", "张华（浦东新区卫健委）"),
    AccountSpec("union-bj", "union_officer", "union-110000", "赵工（北京市总工会）"),
    AccountSpec("union-sh", "union_officer", "union-310000", "孙红（上海市总工会）"),
    AccountSpec("union-cn", "union_officer", "union-national", "钟工（中华全国总工会）"),
    AccountSpec("dept-bj", "department_officer", "dept-110000-women", "周丽（北京市妇联）"),
    AccountSpec("dept-sh", "department_officer", "dept-310000-civil", "吴强（上海市民政局）"),
    AccountSpec("expert", "expert", "expert-pool", "郑教授（专家库）"),
    AccountSpec("inspector-bj", "inspector", "health-110108", "冯检（海淀区卫健委）"),
    AccountSpec("admin", "platform_admin", "platform", "平台管理员", staff=True),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏辉婷雪琳晶宇浩凯帆欣悦佳怡"
