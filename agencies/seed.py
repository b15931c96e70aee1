"""The memorandum as the source document states it: its parties, goals and each party's undertakings.

Loaded by a data migration and again by `seed_demo`; every write is keyed, so loading twice changes nothing.
"""

import datetime

from django.apps import apps as registry

AGENCIES = [
    {
        "code": "DOE",
        "order": 1,
        "name_fa": "اداره کل حفاظت محیط زیست استان قم",
        "name_en": "Directorate General of Environmental Protection, Qom Province",
        "short_name_fa": "حفاظت محیط زیست",
        "short_name_en": "Environmental Protection",
        "director_fa": "محمودعلی رکنی",
        "director_en": "Mahmoud-Ali Rokni",
    },
    {
        "code": "MCLS",
        "order": 2,
        "name_fa": "اداره کل تعاون، کار و رفاه اجتماعی استان قم",
        "name_en": "Directorate General of Cooperatives, Labour and Social Welfare, Qom Province",
        "short_name_fa": "تعاون، کار و رفاه اجتماعی",
        "short_name_en": "Cooperatives, Labour and Social Welfare",
        "director_fa": "نصرالله بازوند",
        "director_en": "Nasrollah Bazvand",
    },
    {
        "code": "TVTO",
        "order": 3,
        "name_fa": "اداره کل آموزش فنی و حرفه‌ای استان قم",
        "name_en": "Directorate General of Technical and Vocational Training, Qom Province",
        "short_name_fa": "آموزش فنی و حرفه‌ای",
        "short_name_en": "Technical and Vocational Training",
        "director_fa": "احمد عطارنیا",
        "director_en": "Ahmad Attarnia",
    },
]

MEMORANDUM = {
    "title_fa": "تفاهم‌نامه سه‌جانبه همکاری برای گسترش و حمایت از مشاغل سبز در استان قم",
    "title_en": "Tripartite memorandum of understanding on expanding and supporting green jobs in Qom province",
    "signed_on": datetime.date(2015, 4, 19),  # 1394/01/30
    "summary_fa": (
        "ادارات کل حفاظت محیط زیست، تعاون، کار و رفاه اجتماعی و آموزش فنی و حرفه‌ای استان قم در راستای "
        "گسترش و حمایت از مشاغل سبز تفاهم‌نامه همکاری امضا کردند."
    ),
    "summary_en": (
        "The provincial Directorates General of Environmental Protection, of Cooperatives, Labour and Social "
        "Welfare, and of Technical and Vocational Training of Qom province signed a memorandum of "
        "understanding on cooperation to expand and support green jobs."
    ),
    "source_fa": "خبرگزاری تسنیم، دفتر قم، به نقل از روابط عمومی اداره کل حفاظت محیط زیست استان قم",
    "source_en": (
        "Tasnim News Agency, Qom bureau, quoting the public relations office of the Qom Directorate General "
        "of Environmental Protection"
    ),
}

GOALS = [
    {
        "code": "G1",
        "title_fa": "شناسایی و توسعه مشاغل و کارآفرینی سبز از طریق به‌کارگیری مشوق‌های مناسب",
        "title_en": "Identifying and developing green jobs and green entrepreneurship through suitable incentives",
        "description_fa": "کسب‌وکارها و کارآفرینان سبزِ شناسایی و ثبت‌شده؛ تسهیلات تشویقی پرداخت‌شده",
        "description_en": "Green businesses and entrepreneurs identified and registered; incentive loans granted",
    },
    {
        "code": "G2",
        "title_fa": "اعمال محدودیت‌های زیست‌محیطی",
        "title_en": "Applying environmental restrictions",
        "description_fa": "ارزیابی‌های زیست‌محیطی کسب‌وکارها؛ رعایت و عدم رعایت الزامات",
        "description_en": "Environmental assessments of businesses; compliance and non-compliance",
    },
    {
        "code": "G3",
        "title_fa": "طراحی و معرفی مشاغل و حرف سبز جدید",
        "title_en": "Designing and introducing new green jobs and trades",
        "description_fa": "مشاغل سبز جدیدِ افزوده‌شده به فهرست، هر یک با استاندارد آموزشی",
        "description_en": "New green occupations added to the catalogue, each with a training standard",
    },
    {
        "code": "G4",
        "title_fa": "سبزسازی مشاغل و حرف موجود با پیاده‌سازی الزامات محیط زیستی در آن‌ها",
        "title_en": "Greening existing jobs and trades by implementing environmental requirements in them",
        "description_fa": "کسب‌وکارهای موجودی که الزامات زیست‌محیطی را برآورده کردند؛ کاهش‌های اندازه‌گیری‌شده",
        "description_en": "Existing businesses that met the environmental requirements; measured reductions",
    },
    {
        "code": "G5",
        "title_fa": "فرهنگ‌سازی مشاغل سبز",
        "title_en": "Culture-building for green jobs",
        "description_fa": "فعالیت‌های آگاهی‌بخشی و آموزش کارگران و کارفرمایان",
        "description_en": "Awareness activities and training of workers and employers",
    },
    {
        "code": "G6",
        "title_fa": "اولویت‌بخشی به نهادهای دانش‌بنیان کشور در اجرای طرح‌های کلان استانی در حوزه فناوری‌های محیط زیست",
        "title_en": (
            "Giving priority to the country's knowledge-based institutions in carrying out large provincial "
            "projects in environmental technologies"
        ),
        "description_fa": "طرح‌های کلان فناوری محیط زیست و سهم واگذارشده به شرکت‌های دانش‌بنیان",
        "description_en": "Large environmental-technology projects and the share awarded to knowledge-based firms",
    },
]

# Each agency's undertakings, as its director stated them at the signing (the article is the only text).
OBLIGATIONS = [
    (
        "DOE",
        ["G1", "G2", "G3", "G4", "G5", "G6"],
        "توسعه همکاری‌های مشترک میان دستگاه‌های اجرایی برای تحقق اهداف زیست‌محیطی، با برنامه‌ریزی جامع و "
        "منسجم و به‌کارگیری همه ظرفیت‌ها",
        "Develop joint cooperation among the executive agencies to reach environmental goals, with "
        "comprehensive, coherent planning and the use of all capacities",
    ),
    (
        "DOE",
        ["G2", "G4"],
        "اعمال الزامات زیست‌محیطی در فعالیت‌های اقتصادی، به‌ویژه افزایش بهره‌وری خطوط تولید با فناوری‌های نوین "
        "و بازنگری اساسی در نوع و نحوه مصرف انرژی در صنعت",
        "Bring environmental requirements into economic activity: raise the productivity of production lines "
        "through new technology and fundamentally revise the kind and manner of energy use in industry",
    ),
    (
        "DOE",
        ["G5"],
        "تعمیق فرهنگ زیست‌محیطی و گسترش آموزش و آگاهی‌بخشی به همه اقشار، به‌ویژه جامعه کارگری و کارفرمایی",
        "Deepen environmental culture and expand training and awareness for all groups, especially workers "
        "and employers",
    ),
    (
        "MCLS",
        ["G1"],
        "پرداخت تسهیلات ویژه به مشاغل سبز و کارآفرینان و تولیدکنندگانی که ملاحظات زیست‌محیطی را رعایت کنند",
        "Pay special loan facilities to green jobs and to entrepreneurs and producers who observe "
        "environmental considerations",
    ),
    (
        "MCLS",
        ["G4", "G5"],
        "گسترش آموزش و آگاهی جامعه کارگری و کارفرمایی تا کالاها و خدمات با مصرف کمتر انرژی، آب و مواد اولیه "
        "و با کمترین آلودگی و پسماند تولید شود",
        "Expand training and awareness among workers and employers so that goods and services are produced "
        "with less energy, water and raw material, and with pollution and waste minimised",
    ),
    (
        "TVTO",
        ["G3", "G4", "G5"],
        "حضور مؤثر و مشارکت با همه توان در حفاظت از محیط زیست از راه آموزش فنی و حرفه‌ای مشاغل سبز",
        "Take an effective part, with all its capacity, in protecting the environment through technical and "
        "vocational training for green jobs",
    ),
]


def load(apps=None):
    if apps is None:
        apps = registry
    Agency = apps.get_model("agencies", "Agency")
    Memorandum = apps.get_model("agencies", "Memorandum")
    Goal = apps.get_model("agencies", "Goal")
    Obligation = apps.get_model("agencies", "Obligation")

    agencies = {}
    for row in AGENCIES:
        fields = {key: value for key, value in row.items() if key != "code"}
        agencies[row["code"]], _created = Agency.objects.update_or_create(code=row["code"], defaults=fields)

    memorandum, _created = Memorandum.objects.update_or_create(
        signed_on=MEMORANDUM["signed_on"], defaults=MEMORANDUM
    )
    memorandum.parties.set(agencies.values())

    goals = {}
    for order, row in enumerate(GOALS, start=1):
        fields = {key: value for key, value in row.items() if key != "code"}
        goals[row["code"]], _created = Goal.objects.update_or_create(
            memorandum=memorandum, code=row["code"], defaults={**fields, "order": order}
        )

    for order, (code, goal_codes, text_fa, text_en) in enumerate(OBLIGATIONS, start=1):
        obligation, _created = Obligation.objects.update_or_create(
            memorandum=memorandum,
            agency=agencies[code],
            order=order,
            defaults={"text_fa": text_fa, "text_en": text_en},
        )
        obligation.goals.set(goals[goal] for goal in goal_codes)
    return memorandum
