"""Choices of the facilities app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvisionModel(models.TextChoices):
    """How the employer provides care (举办模式). The five named models of the 爱心托育 programme, plus joint."""

    EMPLOYER_BUILT = "employer_built", _("用人单位自建")
    PARK_CENTRALISED = "park", _("园区集中托育")
    EMPLOYER_THIRD_PARTY = "third_party", _("用人单位+第三方服务")
    KINDERGARTEN_CLASS = "kindergarten", _("幼儿园托班")
    MEDICAL_CARE = "medical", _("医育结合")
    JOINT = "joint", _("多单位联合举办")


class ServiceType(models.TextChoices):
    """Service form (服务形式), 设置标准 Art. 3."""

    FULL_DAY = "full_day", _("全日托")
    HALF_DAY = "half_day", _("半日托")
    HOURLY = "hourly", _("计时托")
    OCCASIONAL = "occasional", _("临时托")


class ClassType(models.TextChoices):
    """Class type (班型), 设置标准 Art. 19."""

    INFANT = "infant", _("乳儿班")
    TODDLER = "toddler", _("托小班")
    OLDER = "older", _("托大班")
    MIXED = "mixed", _("混合编班")


class StaffRole(models.TextChoices):
    """Staff post (岗位), 设置标准 Art. 18 and 21."""

    DIRECTOR = "director", _("负责人")
    CARER = "carer", _("保育人员")
    HEALTH_WORKER = "health_worker", _("保健人员")
    SECURITY_GUARD = "security_guard", _("保安人员")
    COOK = "cook", _("炊事人员")
    OTHER = "other", _("其他")


class Education(models.TextChoices):
    """Highest education (学历)."""

    BELOW_HIGH_SCHOOL = "below_hs", _("初中及以下")
    HIGH_SCHOOL = "high_school", _("高中/中专")
    JUNIOR_COLLEGE = "junior_college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class PremisesTenure(models.TextChoices):
    """How the premises are held (场地性质), 设置标准 Art. 11."""

    OWNED = "owned", _("自有")
    LEASED = "leased", _("租赁")
    PROVIDED = "provided", _("用人单位无偿/低偿提供")


class DocumentType(models.TextChoices):
    """Filing documents (备案材料), 登记和备案办法 Art. 8."""

    LICENCE = "licence", _("营业执照或法人登记证书")
    PREMISES = "premises", _("场地证明")
    STAFF_CERTIFICATES = "staff_certs", _("工作人员资格证书及健康合格证明")
    HEALTH_EVALUATION = "health_eval", _("托幼机构卫生评价报告")
    FIRE_SAFETY = "fire_safety", _("消防安全检查合格证明")
    FOOD_LICENCE = "food_licence", _("食品经营许可证")
    COMMITMENT = "commitment", _("备案承诺书")
    OTHER = "other", _("其他材料")
