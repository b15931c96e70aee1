"""Demo joint initiatives and G6 projects, made through the services.

The dates below tell the story as seen on STORY_DAY; the demo moves them by however long ago that was,
so the story always ends on the day it is loaded. Keyed by Persian title: loading twice adds nothing.
A date that is still in the future when the demo is loaded (a completion, a bid, an award) is left out
rather than invented.
"""

import datetime

import jdatetime
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Kind
from agencies.models import Agency, Goal

from .models import Initiative, Project
from .services import initiatives as services

STORY_DAY = "1405/09/11"


def j(text: str) -> datetime.date:
    """A Jalali date of the story, moved to the same distance before the day the demo is loaded."""
    year, month, day = (int(part) for part in text.split("/"))
    written = jdatetime.date(year, month, day).togregorian()
    year, month, day = (int(part) for part in STORY_DAY.split("/"))
    return written + (timezone.localdate() - jdatetime.date(year, month, day).togregorian())


# title fa, title en, lead, partners, goals, budget (Rial), starts, ends,
# milestones: (title, due, done or None)
INITIATIVES = [
    (
        "سبزسازی کوره‌های آجرپزی استان قم",
        "Greening the brick kilns of Qom province",
        "DOE", ["MCLS"], ["G2", "G4"], 45_000_000_000, "1404/02/01", "1405/06/31",
        [
            ("پیمایش پایه کوره‌های فعال و مصرف سوخت آن‌ها", "1404/04/15", "1404/04/10"),
            ("چک‌لیست ارزیابی محیط زیستی ویژه کوره‌ها", "1404/08/30", "1404/09/20"),
            ("تغییر سوخت ده کوره به گاز طبیعی", "1405/03/31", None),
            ("گزارش کاهش آلایندگی و جمع‌بندی", "1405/06/31", None),
        ],
    ),
    (
        "تسهیلات مشاغل سبز برای تعاونی‌های روستایی",
        "Green-jobs loans for rural cooperatives",
        "MCLS", ["DOE", "TVTO"], ["G1", "G3"], 120_000_000_000, "1404/01/15", "1405/12/29",
        [
            ("تصویب دستورالعمل طرح تسهیلات", "1404/02/31", "1404/02/20"),
            ("نخستین پرداخت‌ها به تعاونی‌ها", "1404/07/30", "1404/08/15"),
            ("ایجاد صد شغل سبز در روستاها", "1405/06/30", None),
            ("ارزیابی نهایی اثر اشتغال", "1405/12/20", None),
        ],
    ),
    (
        "مهارت‌های سبز برای کارگران و کارفرمایان",
        "Green skills for workers and employers",
        "TVTO", ["DOE"], ["G5", "G3"], 18_000_000_000, "1404/03/01", "1405/10/30",
        [
            ("تدوین سرفصل دوره‌های مشاغل سبز", "1404/05/15", "1404/05/10"),
            ("برگزاری بیست کارگاه فرهنگ‌سازی", "1404/11/30", "1404/11/25"),
            ("صدور گواهی برای پانصد کارآموز", "1405/05/31", "1405/07/10"),
            ("سلسله همایش‌های کارفرمایان", "1405/08/15", None),
        ],
    ),
]  # fmt: skip

# title fa, title en, lead, estimated value, bids close, weights (price, technical, kb), bids, award
# bid: (bidder, business id, knowledge-based as of or None, amount, technical score, submitted)
# award: (bidder, awarded on, reason) or None
PROJECTS = [
    (
        "نیروگاه خورشیدی تصفیه‌خانه فاضلاب قم",
        "Solar power plant for the Qom wastewater treatment works",
        "DOE", 250_000_000_000, "1404/06/15", (40, 40, 20),
        [
            ("فناوران انرژی خورشید پارس", "10861000011", "1404/03/01", 238_000_000_000, "88", "1404/06/10"),
            ("نیروگستر مرکزی", "10861000022", None, 225_000_000_000, "72", "1404/06/12"),
            ("سامانه‌های هوشمند سبز", "10861000033", "1404/07/01", 245_000_000_000, "90", "1404/06/14"),
        ],
        (
            "فناوران انرژی خورشید پارس", "1404/07/20",
            "بالاترین امتیاز در رتبه‌بندی: قیمت مناسب، امتیاز فنی بالا و گواهی دانش‌بنیان معتبر پیش از "
            "پایان مهلت.",
        ),
    ),
    (
        "بازچرخانی پساب صنعتی شهرک صنعتی شکوهیه",
        "Industrial wastewater recycling at the Shokouhieh industrial park",
        "DOE", 180_000_000_000, "1405/02/20", (50, 30, 20),
        [
            ("آب‌آوران صنعت", "10861000044", None, 150_000_000_000, "85", "1405/02/10"),
            ("دانش‌بنیان پالایش آب کویر", "10861000055", "1404/12/01", 190_000_000_000, "80", "1405/02/15"),
            ("مهندسی محیط زیست قم", "10861000066", None, 170_000_000_000, "70", "1405/02/18"),
        ],
        (
            "آب‌آوران صنعت", "1405/03/15",
            "نفر اول رتبه‌بندی پیش از امضای قرارداد کتباً از پیشنهاد خود انصراف داد؛ پروژه به نفر دوم "
            "رتبه‌بندی واگذار شد.",
        ),
    ),
    (
        "بهینه‌سازی مصرف انرژی کارگاه‌های تعاونی",
        "Energy-efficiency retrofit of cooperative workshops",
        "MCLS", 95_000_000_000, "1405/10/15", (40, 35, 25),
        [
            ("گرمایش هوشمند ایرانیان", "10861000077", "1405/05/01", 91_000_000_000, "82", "1405/08/20"),
            ("عایق‌کاران البرز", "10861000088", None, 84_000_000_000, "68", "1405/09/01"),
        ],
        None,
    ),
]  # fmt: skip


def _actor():
    """The steering committee's demo account (made here if the accounts demo has not run yet)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="programme_manager",
        defaults={
            "kind": Kind.PROGRAMME_MANAGER,
            "email": "programme@example.ir",
            "first_name": "سارا",
            "last_name": "کاظمی",
            "email_verified_at": timezone.now(),
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _initiatives(actor, agencies, goals, today) -> int:
    made = 0
    for title_fa, title_en, lead, partners, goal_codes, budget, starts, ends, milestones in INITIATIVES:
        if Initiative.objects.filter(title_fa=title_fa).exists():
            continue
        initiative = services.initiative_create(
            actor=actor,
            data={
                "title_fa": title_fa,
                "title_en": title_en,
                "lead_agency": agencies[lead],
                "partners": [agencies[code] for code in partners],
                "goals": [goals[code] for code in goal_codes],
                "budget": budget,
                "starts_on": j(starts),
                "ends_on": j(ends),
            },
        )
        for title, due, done in milestones:
            milestone = services.milestone_add(
                initiative_id=initiative.pk, actor=actor, title=title, due_on=j(due)
            )
            if done and j(done) <= today:
                services.milestone_complete(milestone_id=milestone.pk, actor=actor, completed_on=j(done))
        made += 1
    return made


def _projects(actor, agencies, today) -> int:
    made = 0
    for title_fa, title_en, lead, value, closes, weights, bids, award in PROJECTS:
        if Project.objects.filter(title_fa=title_fa).exists():
            continue
        project = services.project_create(
            actor=actor,
            data={
                "title_fa": title_fa,
                "title_en": title_en,
                "lead_agency": agencies[lead],
                "estimated_value": value,
                "bids_close_on": j(closes),
                "weight_price": weights[0],
                "weight_technical": weights[1],
                "weight_knowledge_based": weights[2],
            },
        )
        by_bidder = {}
        for bidder, business_id, kb_as_of, amount, technical, submitted in bids:
            if j(submitted) > today or (kb_as_of and j(kb_as_of) > today):
                continue
            by_bidder[bidder] = services.bid_add(
                project_id=project.pk,
                actor=actor,
                data={
                    "bidder": bidder,
                    "national_business_id": business_id,
                    "is_knowledge_based": kb_as_of is not None,
                    "knowledge_based_as_of": j(kb_as_of) if kb_as_of else None,
                    "amount": amount,
                    "technical_score": technical,
                    "submitted_on": j(submitted),
                },
            )
        if award and award[0] in by_bidder and j(award[1]) <= today:
            services.project_award(
                project_id=project.pk,
                actor=actor,
                bid_id=by_bidder[award[0]].pk,
                reason=award[2],
                awarded_on=j(award[1]),
            )
        made += 1
    return made


@transaction.atomic
def load() -> int:
    """Creates what is missing; returns how many initiatives and projects were new."""
    today = timezone.localdate()
    actor = _actor()
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    goals = {}
    for goal in Goal.objects.order_by("-memorandum__signed_on", "order"):
        goals.setdefault(goal.code, goal)
    return _initiatives(actor, agencies, goals, today) + _projects(actor, agencies, today)
