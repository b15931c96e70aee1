"""Reference data of the registry: Qom province's counties and a starter catalogue of green occupations.

The training standard codes are the catalogue's own references until TVTO assigns official ones.
Loaded by a data migration and by `seed_demo`; keyed writes, so loading twice changes nothing.
"""

from django.apps import apps as registry

from greenjobs.text import search_key

COUNTIES = [
    ("qom", "قم", "Qom"),
    ("jafarabad", "جعفرآباد", "Jafarabad"),
    ("kahak", "کهک", "Kahak"),
    ("khalajestan", "خلجستان", "Khalajestan"),
]

N, G = "new_green", "greened_existing"

# code, sector, kind, name fa, name en, requirements fa, requirements en, training standard
OCCUPATIONS = [
    ("GJ-EN-01", "energy", N, "نصاب و تعمیرکار سامانه‌های خورشیدی فتوولتائیک", "Solar photovoltaic installer",
     "نصب ایمن پنل‌ها مطابق مقررات ملی ساختمان؛ بازیافت پنل‌ها و باتری‌های فرسوده", "Safe installation to the national building code; recycling of spent panels and batteries", "TS-7411-PV-01"),
    ("GJ-EN-02", "energy", N, "ممیز انرژی ساختمان و صنعت", "Building and industrial energy auditor",
     "اندازه‌گیری مصرف پایه و گزارش صرفه‌جویی قابل راستی‌آزمایی", "Baseline metering and verifiable savings reports", "TS-2149-EA-01"),
    ("GJ-EN-03", "energy", N, "نصاب آبگرمکن خورشیدی", "Solar water heater installer",
     "کاهش مصرف گاز و برق گرمایش آب؛ عایق‌کاری لوله‌ها", "Cuts gas and electricity for water heating; insulated piping", "TS-7126-SW-01"),
    ("GJ-EN-04", "energy", G, "برق‌کار ساختمان با تخصص روشنایی کم‌مصرف", "Building electrician (efficient lighting)",
     "جایگزینی روشنایی پرمصرف با LED و کنترل هوشمند", "Replace inefficient lighting with LED and smart controls", "TS-7411-LE-02"),
    ("GJ-EN-05", "energy", G, "تعمیرکار موتورخانه و بهینه‌ساز مشعل", "Boiler-room technician and burner tuner",
     "تنظیم احتراق و کاهش مصرف سوخت و آلاینده‌ها", "Combustion tuning to cut fuel use and emissions", "TS-7127-BT-01"),
    ("GJ-WA-01", "water", N, "تکنسین آبیاری قطره‌ای", "Drip-irrigation technician",
     "کاهش مصرف آب کشاورزی دست‌کم ۳۰ درصد نسبت به آبیاری غرقابی", "At least 30% less farm water than flood irrigation", "TS-6114-DI-01"),
    ("GJ-WA-02", "water", N, "تکنسین تصفیه و بازچرخانی پساب خاکستری", "Greywater treatment and reuse technician",
     "بازچرخانی پساب با رعایت استانداردهای بهداشتی", "Greywater reuse meeting health standards", "TS-3132-GW-01"),
    ("GJ-WA-03", "water", G, "لوله‌کش ساختمان با تخصص کاهش مصرف آب", "Plumber (water-saving fixtures)",
     "نصب شیرآلات و تجهیزات کاهنده مصرف و نشت‌یابی", "Water-saving fixtures and leak detection", "TS-7126-WS-02"),
    ("GJ-WS-01", "waste", N, "کارگر تفکیک و جداسازی پسماند بازیافتی", "Recycling sorter",
     "تفکیک از مبدأ و تحویل به بازیافت مجاز؛ ایمنی و بهداشت کار", "Source separation and delivery to licensed recyclers; occupational safety", "TS-9612-RS-01"),
    ("GJ-WS-02", "waste", N, "تولیدکننده کمپوست از پسماند آلی", "Organic-waste composter",
     "تولید کمپوست استاندارد و جلوگیری از نشت شیرابه", "Standard compost with no leachate escape", "TS-6130-CP-01"),
    ("GJ-WS-03", "waste", N, "تعمیرکار و بازیافت‌گر پسماند الکترونیکی", "E-waste repairer and recycler",
     "بازیابی قطعات و دفع ایمن مواد خطرناک", "Parts recovery and safe disposal of hazardous materials", "TS-7421-EW-01"),
    ("GJ-WS-04", "waste", G, "کارگر بازیافت نخاله‌های ساختمانی", "Construction-debris recycling worker",
     "خردایش و استفاده مجدد نخاله به جای دفن", "Crushing and reuse of debris instead of landfill", "TS-9313-CD-01"),
    ("GJ-AG-01", "agriculture", N, "تولیدکننده محصولات ارگانیک", "Organic produce grower",
     "بدون سموم و کودهای شیمیایی؛ گواهی ارگانیک", "No synthetic pesticides or fertilisers; organic certification", "TS-6111-OG-01"),
    ("GJ-AG-02", "agriculture", N, "پرورش‌دهنده گیاهان دارویی کم‌آب‌بر", "Low-water medicinal herb grower",
     "کشت گونه‌های سازگار با اقلیم خشک قم", "Species suited to Qom's arid climate", "TS-6112-MH-01"),
    ("GJ-AG-03", "agriculture", G, "گلخانه‌دار با سامانه کنترل هوشمند", "Greenhouse operator (smart climate control)",
     "کاهش مصرف انرژی و آب گلخانه با کنترل هوشمند", "Less greenhouse energy and water through smart control", "TS-6113-GH-02"),
    ("GJ-CN-01", "construction", N, "مجری عایق‌کاری حرارتی ساختمان", "Green building insulation worker",
     "اجرای مبحث ۱۹ مقررات ملی ساختمان (صرفه‌جویی انرژی)", "Applies Part 19 of the national building code (energy saving)", "TS-7124-IN-01"),
    ("GJ-CN-02", "construction", N, "نصاب پنجره دوجداره و درزگیر", "Double-glazing and draught-proofing installer",
     "کاهش اتلاف حرارت پوسته ساختمان", "Less heat loss through the building envelope", "TS-7125-DG-01"),
    ("GJ-CN-03", "construction", G, "بنای ساختمان با مصالح بومی و بازیافتی", "Mason (local and recycled materials)",
     "استفاده از مصالح کم‌کربن و بازیافتی", "Low-carbon and recycled materials", "TS-7112-MS-02"),
    ("GJ-MF-01", "manufacturing", G, "اپراتور خط تولید با بهره‌وری انرژی", "Production-line operator (energy efficiency)",
     "پایش مصرف انرژی و مواد اولیه در هر واحد محصول", "Energy and raw material use metered per unit of output", "TS-8189-PL-02"),
    ("GJ-MF-02", "manufacturing", G, "کارگر کارگاه آجرپزی با کوره کم‌آلاینده", "Brick-kiln worker (low-emission kiln)",
     "کاهش دود و ذرات معلق کوره‌های آجرپزی", "Less smoke and particulates from brick kilns", "TS-8181-BK-02"),
    ("GJ-MF-03", "manufacturing", G, "قالی‌باف با رنگ‌های طبیعی", "Carpet weaver (natural dyes)",
     "رنگرزی گیاهی و تصفیه پساب رنگرزی", "Plant dyes and treated dyeing wastewater", "TS-7318-CW-02"),
    ("GJ-TR-01", "transport", N, "تعمیرکار خودروهای برقی و هیبریدی", "Electric and hybrid vehicle technician",
     "ایمنی ولتاژ بالا و بازیافت باتری", "High-voltage safety and battery recycling", "TS-7231-EV-01"),
    ("GJ-TR-02", "transport", G, "تعمیرکار سامانه سوخت‌رسانی گازسوز", "CNG conversion technician",
     "کاهش آلاینده‌های خروجی خودرو", "Lower vehicle exhaust emissions", "TS-7231-CN-02"),
    ("GJ-SV-01", "services", N, "کارشناس پایش آلودگی هوا و صدا", "Air and noise pollution monitoring technician",
     "اندازه‌گیری با تجهیزات کالیبره و گزارش به محیط زیست", "Calibrated measurement reported to DOE", "TS-3119-PM-01"),
    ("GJ-TO-01", "tourism", N, "راهنمای گردشگری طبیعت (بوم‌گردی)", "Ecotourism guide",
     "گردشگری بدون آسیب به زیستگاه‌ها؛ آموزش بازدیدکنندگان", "Tourism that leaves habitats unharmed; visitor education", "TS-5113-ET-01"),
]  # fmt: skip


def load(apps=None):
    if apps is None:
        apps = registry
    County = apps.get_model("programs", "County")
    GreenOccupation = apps.get_model("programs", "GreenOccupation")
    for order, (code, name_fa, name_en) in enumerate(COUNTIES, start=1):
        County.objects.update_or_create(
            code=code, defaults={"name_fa": name_fa, "name_en": name_en, "order": order}
        )
    for code, sector, kind, name_fa, name_en, req_fa, req_en, standard in OCCUPATIONS:
        GreenOccupation.objects.update_or_create(
            code=code,
            defaults={
                "sector": sector,
                "kind": kind,
                "name_fa": name_fa,
                "name_en": name_en,
                "requirements_fa": req_fa,
                "requirements_en": req_en,
                "training_standard_code": standard,
                "search_text": search_key(" ".join([code, name_fa, name_en, standard])),
            },
        )
