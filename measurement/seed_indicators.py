"""The indicator framework of the memorandum: per goal, what is measured, in what unit, from what baseline,
and the steering committee's starting targets for 1404 and 1405 (they change them on the portal)."""

from django.apps import apps as global_apps

# code, goal, fa, en, unit fa, unit en, direction, cumulative, source, baseline, targets {year: value}
INDICATORS = [
    ("G1.1", "G1", "کسب‌وکارهای سبز تأییدشده", "Verified green businesses", "کسب‌وکار", "businesses", "up", True, "computed", 0, {1404: 10, 1405: 30}),
    ("G1.2", "G1", "شاغلان مشاغل سبز (یکتا با کد ملی)", "People in green jobs (unique by national ID)", "نفر", "people", "up", True, "computed", 0, {1404: 40, 1405: 120}),
    ("G1.3", "G1", "درخواست‌های تسهیلات ثبت‌شده", "Loan applications submitted", "درخواست", "applications", "up", False, "computed", 0, {1404: 10, 1405: 25}),
    ("G1.4", "G1", "مبلغ تسهیلات درخواستی", "Loan amounts applied for", "ریال", "Rials", "up", False, "computed", 0, {1404: 30_000_000_000, 1405: 80_000_000_000}),
    ("G1.5", "G1", "تسهیلات تصویب‌شده", "Loans approved", "فقره", "loans", "up", False, "computed", 0, {1404: 5, 1405: 12}),
    ("G1.6", "G1", "مبلغ تسهیلات تصویب‌شده", "Loan amounts approved", "ریال", "Rials", "up", False, "computed", 0, {1404: 20_000_000_000, 1405: 50_000_000_000}),
    ("G1.7", "G1", "تسهیلات پرداخت‌شده", "Loans disbursed", "فقره", "loans", "up", False, "computed", 0, {1404: 4, 1405: 10}),
    ("G1.8", "G1", "مبلغ تسهیلات پرداخت‌شده", "Loan amounts disbursed", "ریال", "Rials", "up", False, "computed", 0, {1404: 15_000_000_000, 1405: 40_000_000_000}),
    ("G1.9", "G1", "مطالبات معوق", "Portfolio in arrears", "ریال", "Rials", "down", True, "computed", 0, {1404: 0, 1405: 0}),
    ("G1.10", "G1", "مشاغل وعده‌داده‌شده در تسهیلات (بررسی‌شده)", "Jobs promised by loans (checked)", "شغل", "jobs", "up", False, "computed", 0, {1404: 20, 1405: 60}),
    ("G1.11", "G1", "مشاغل تأییدشده با فهرست بیمه", "Jobs verified by insurance lists", "شغل", "jobs", "up", False, "computed", 0, {1404: 16, 1405: 50}),
    ("G1.12", "G1", "نرخ تأیید مشاغل وعده‌داده‌شده", "Verification rate of promised jobs", "درصد", "%", "up", False, "computed", 0, {1404: 80, 1405: 85}),
    ("G1.13", "G1", "میانگین ماه‌های دوام مشاغل تأییدشده", "Average months a verified job has lasted", "ماه", "months", "up", False, "computed", 0, {1404: 6, 1405: 12}),
    ("G2.1", "G2", "ارزیابی‌های زیست‌محیطی انجام‌شده", "Environmental assessments decided", "ارزیابی", "assessments", "up", False, "computed", 0, {1404: 12, 1405: 30}),
    ("G2.2", "G2", "موارد عدم رعایت الزامات", "Requirements found not met", "مورد", "findings", "up", False, "computed", 0, {1404: 5, 1405: 10}),
    ("G2.3", "G2", "درخواست‌های ردشده به دلایل زیست‌محیطی", "Loan applications refused on environmental grounds", "درخواست", "applications", "up", False, "computed", 0, {1404: 2, 1405: 5}),
    ("G3.1", "G3", "مشاغل سبز جدید معرفی‌شده", "New green occupations introduced", "شغل", "occupations", "up", False, "computed", 0, {1404: 10, 1405: 5}),
    ("G3.2", "G3", "کسب‌وکارهای سبز جدید تأییدشده", "New green businesses verified", "کسب‌وکار", "businesses", "up", False, "computed", 0, {1404: 4, 1405: 12}),
    ("G4.1", "G4", "کسب‌وکارهای موجودِ سبزشده", "Existing businesses greened", "کسب‌وکار", "businesses", "up", False, "computed", 0, {1404: 4, 1405: 15}),
    ("G4.2", "G4", "کاهش مصرف انرژی", "Reduction in energy use", "کیلووات‌ساعت در سال", "kWh per year", "up", False, "computed", 0, {1404: 100_000, 1405: 300_000}),
    ("G4.3", "G4", "کاهش مصرف آب", "Reduction in water use", "مترمکعب در سال", "m³ per year", "up", False, "computed", 0, {1404: 3_000, 1405: 10_000}),
    ("G4.4", "G4", "کاهش مصرف مواد اولیه", "Reduction in raw materials", "تن در سال", "tonnes per year", "up", False, "computed", 0, {1404: 50, 1405: 150}),
    ("G4.5", "G4", "کاهش پسماند", "Reduction in waste", "تن در سال", "tonnes per year", "up", False, "computed", 0, {1404: 100, 1405: 300}),
    ("G5.1", "G5", "کارگران آموزش‌دیده", "Workers trained", "نفر", "people", "up", False, "computed", 0, {1404: 20, 1405: 60}),
    ("G5.2", "G5", "کارفرمایان آموزش‌دیده", "Employers trained", "نفر", "people", "up", False, "computed", 0, {1404: 10, 1405: 30}),
    ("G5.3", "G5", "دارندگان گواهی‌نامه مهارت سبز", "People certified in green skills", "نفر", "people", "up", False, "computed", 0, {1404: 25, 1405: 80}),
    ("G5.4", "G5", "کارگران شرکت‌کننده در فعالیت‌های آگاهی‌بخشی", "Workers reached by awareness activities", "نفر", "people", "up", False, "computed", 0, {1404: 500, 1405: 2_000}),
    ("G5.5", "G5", "کارفرمایان شرکت‌کننده در فعالیت‌های آگاهی‌بخشی", "Employers reached by awareness activities", "نفر", "people", "up", False, "computed", 0, {1404: 100, 1405: 400}),
    ("G5.6", "G5", "فعالیت‌های آگاهی‌بخشی برگزارشده", "Awareness activities held", "فعالیت", "activities", "up", False, "computed", 0, {1404: 6, 1405: 12}),
    ("G5.7", "G5", "مخاطبان رسانه‌ای برآوردی (ثبت دستی)", "Estimated media audience (entered by hand)", "نفر", "people", "up", False, "manual", 0, {1404: 50_000, 1405: 150_000}),
    ("G6.1", "G6", "طرح‌های کلان واگذارشده", "Large projects awarded", "طرح", "projects", "up", False, "computed", 0, {1404: 1, 1405: 3}),
    ("G6.2", "G6", "سهم دانش‌بنیان‌ها از طرح‌های واگذارشده (تعداد)", "Knowledge-based share of projects awarded (count)", "درصد", "%", "up", False, "computed", 0, {1404: 30, 1405: 50}),
    ("G6.3", "G6", "سهم دانش‌بنیان‌ها از ارزش قراردادها", "Knowledge-based share of contract value", "درصد", "%", "up", False, "computed", 0, {1404: 30, 1405: 50}),
]  # fmt: skip


def load(apps=global_apps):
    Goal = apps.get_model("agencies", "Goal")
    Indicator = apps.get_model("measurement", "Indicator")
    IndicatorTarget = apps.get_model("measurement", "IndicatorTarget")
    goals = {goal.code: goal for goal in Goal.objects.all()}
    for order, (
        code,
        goal,
        fa,
        en,
        unit_fa,
        unit_en,
        direction,
        cumulative,
        source,
        baseline,
        targets,
    ) in enumerate(INDICATORS, start=1):
        indicator, _created = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "goal": goals[goal], "name_fa": fa, "name_en": en, "unit_fa": unit_fa, "unit_en": unit_en,
                "direction": direction, "cumulative": cumulative, "source": source, "baseline": baseline,
                "order": order,
            },
        )  # fmt: skip
        for year, value in targets.items():
            # Only the starting targets: a target the committee has changed is theirs.
            IndicatorTarget.objects.get_or_create(
                indicator=indicator, jalali_year=year, defaults={"value": value}
            )
