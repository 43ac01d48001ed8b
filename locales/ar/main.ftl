# العربية: ترجمة واجهة التطبيق.

## Layout
app-name = أمهات الحي
# What the programme's workers are called where the programme has not set its
# own word (see GLOSSARY.md): `$worker` and `$workers` in the messages, as
# in the middle of a sentence; `$Worker` and `$Workers` begin one.
worker-one = أم الحي
worker-other = أمهات الحي
skip-to-content = الانتقال إلى المحتوى
nav-label = القائمة الرئيسية
nav-programmes = البرامج
nav-visits = الزيارات
nav-families = الأسر
nav-referrals = الإحالات
nav-events = الفعاليات
nav-funding = التمويل
nav-reports = التقارير
nav-mothers = { $workers }
nav-courses = الدورات التدريبية
nav-users = المستخدمون
nav-tokens = مفاتيح API
nav-audit = سجل التغييرات
footer-text = أمهات الحي: نظام إدارة الحالات لبرامج أمهات الحي.

## Flash messages ($name: the record's name)
flash-programme-created = تم إنشاء البرنامج «{ $name }».
flash-programme-updated = تم حفظ البرنامج «{ $name }».
flash-programme-archived = تمت أرشفة البرنامج «{ $name }». سجلاته محفوظة.
flash-programme-restored = تمت استعادة البرنامج «{ $name }».
flash-programme-deleted = تم حذف البرنامج «{ $name }».
flash-programme-has-data = البرنامج «{ $name }» يحتوي على بيانات ولا يمكن حذفه؛ يمكنك أرشفته بدلًا من ذلك.
flash-district-created = تمت إضافة الحي «{ $name }».
flash-district-updated = تم حفظ الحي «{ $name }».
flash-district-archived = تمت أرشفة الحي «{ $name }».
flash-district-restored = تمت استعادة الحي «{ $name }».
flash-signed-out = تم تسجيل خروجك.
flash-password-changed = تم تغيير كلمة المرور. انتهت جلساتك الأخرى.
flash-language-changed = تم حفظ إعداد اللغة.
flash-user-updated = تم حفظ المستخدم «{ $name }».
flash-user-activated = يمكن للمستخدم «{ $name }» تسجيل الدخول مرة أخرى.
flash-user-deactivated = تم تعطيل المستخدم «{ $name }» وتسجيل خروجه من جميع الأجهزة.
flash-cannot-deactivate-self = لا يمكنك تعطيل حسابك الخاص.
flash-token-revoked = تم إبطال مفتاح API «{ $name }».

## Actions
action-save = حفظ
action-cancel = إلغاء
action-edit = تعديل
action-rename = إعادة تسمية
action-add = إضافة
action-archive = أرشفة
action-restore = استعادة
action-delete = حذف
action-sign-in = تسجيل الدخول
action-sign-out = تسجيل الخروج
action-change-password = تغيير كلمة المرور
action-create-user = إنشاء المستخدم وكلمة مرور لمرة واحدة
action-reset-password = إعادة تعيين كلمة المرور
action-deactivate = تعطيل
action-activate = تفعيل
action-create-token = إنشاء مفتاح
action-revoke = إبطال
action-done = تم
action-filter = تصفية
action-reset-filter = مسح عوامل التصفية

## Fields
field-name = الاسم
field-city = المدينة
field-country = البلد
field-currency = العملة
field-default-language = اللغة الافتراضية
field-start-date = تاريخ البداية
field-end-date = تاريخ النهاية
field-description = الوصف
hint-country = رمز ISO من حرفين، مثل DE أو DK.
hint-currency = رمز ISO من ثلاثة أحرف، مثل EUR أو DKK.
hint-language = رمز ISO 639-1 من حرفين، مثل de أو da أو en.
hint-end-date = اتركه فارغًا ما دام البرنامج مستمرًا.
status-archived = مؤرشف
status-inactive = معطّل
status-revoked = مُبطَل
status-one-time-password = كلمة مرور لمرة واحدة
field-email = البريد الإلكتروني
field-password = كلمة المرور
field-display-name = الاسم
field-role = الدور
field-programmes = البرامج
field-language = اللغة
field-current-password = كلمة المرور الحالية
field-new-password = كلمة المرور الجديدة
field-confirm-password = كلمة المرور الجديدة مرة أخرى
field-user = المستخدم
field-label = التسمية
field-entity = نوع السجل
field-from = من
field-to = إلى
hint-password = 12 حرفًا على الأقل. تصلح جيدًا بضع كلمات غير مألوفة بينها مسافات أو شرطات.
hint-roles = مدير المشروع يعدّل البرامج والأحياء والتمويل ويقرأ التقارير؛ المنسق/ة يسجّل { $workers } والأسر والزيارات؛ المدرب/ة يدير الدورات التدريبية. مسؤول النظام يدير كل شيء.
hint-programmes = البرامج التي يرى هذا المستخدم سجلاتها. مسؤول النظام يرى جميع البرامج.
hint-token-label = الغرض من المفتاح، مثل «استيراد الاستمارات الورقية».

## Roles
role-admin = مسؤول النظام
role-manager = مدير المشروع
role-coordinator = منسق/ة
role-trainer = مدرب/ة

## Signing in and the account
login-title = تسجيل الدخول
login-help = هل نسيت كلمة المرور؟ اطلب من مسؤول النظام في برنامجك إعادة تعيينها.
login-failed = البريد الإلكتروني أو كلمة المرور غير صحيحة.
login-locked = محاولات دخول فاشلة كثيرة. حفاظًا على أمانك، تم إيقاف تسجيل الدخول لمدة { $minutes ->
    [zero] { $minutes } دقيقة
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
    [many] { $minutes } دقيقة
   *[other] { $minutes } دقيقة
}.
account-title = حسابك
account-must-change = لقد سجّلت الدخول بكلمة مرور لمرة واحدة. يرجى اختيار كلمة مرور خاصة بك الآن.
account-password-title = تغيير كلمة المرور
account-language-title = اللغة
language-browser = كما في المتصفح

## Administration
users-title = المستخدمون
user-new = مستخدم جديد
user-last-login = آخر تسجيل دخول
user-manage = كلمة المرور والوصول
user-reset-hint = إعادة التعيين تعطي المستخدم كلمة مرور جديدة لمرة واحدة، وتنهي جلساته، وعليه اختيار كلمة مرور جديدة عند تسجيل الدخول التالي.
user-deactivate-hint = المستخدم المعطّل لا يستطيع تسجيل الدخول؛ تتوقف جلساته ومفاتيح API الخاصة به فورًا. تبقى سجلاته محفوظة.
user-created-title = تم إنشاء المستخدم
password-reset-title = إعادة تعيين كلمة المرور
one-time-password-explanation = تظهر كلمة المرور هذه لمرة واحدة الآن فقط. أعطها للمستخدم شخصيًا أو عبر الهاتف؛ وعليه اختيار كلمة مرور خاصة به عند تسجيل الدخول.
programmes-all = الكل
tokens-title = مفاتيح API
tokens-intro = يسمح المفتاح لبرنامج حاسوبي باستخدام واجهة JSON API بصلاحيات مستخدم واحد، دون كلمة مرور. أرسله بالشكل «Authorization: Bearer <token>».
tokens-empty = لا توجد مفاتيح API بعد.
token-new = مفتاح جديد
token-created = تاريخ الإنشاء
token-last-used = آخر استخدام
token-expires = آخر يوم
field-expires-on = آخر يوم (اختياري)
hint-token-expires = يتوقف المفتاح عن العمل بعد هذا اليوم. وينتهي أيضًا عند تغيير كلمة مرور المستخدم صاحب المفتاح.
error-token-expiry-past = لا يمكن أن يكون آخر يوم في الماضي.
token-created-title = تم إنشاء مفتاح API
token-explanation = يظهر هذا المفتاح الآن فقط: انسخه إلى البرنامج الحاسوبي الذي يستخدمه. أبطِله من هنا عندما لا تعود بحاجة إليه.
audit-title = سجل التغييرات
audit-count = { $count ->
    [zero] لا توجد إدخالات
    [one] إدخال واحد
    [two] إدخالان
    [few] { $count } إدخالات
    [many] { $count } إدخالًا
   *[other] { $count } إدخال
}
audit-empty = لا توجد إدخالات تطابق عوامل التصفية هذه.
audit-when = الوقت
audit-action = الإجراء
audit-changes = التغييرات
audit-system = النظام
filter-any = الكل
entity-programme = برنامج
entity-district = حي
entity-user = مستخدم
entity-api_token = مفتاح API
pager-label = الصفحات
pager-previous = السابق
pager-next = التالي

## Programmes
programmes-title = البرامج
programmes-empty = لا توجد برامج بعد. أنشئ البرنامج الأول لبدء تسجيل { $workers } والأحياء والزيارات.
worker-words-title = كيف يسمّي البرنامج { $workers }
worker-words-intro = كثيرًا ما يكون للنساء اللواتي يدرّبهن البرنامج ثم يزرن الأسر اسم خاص بهن: Stadtteilmütter أو Bydelsmødre أو Integrationslotsinnen … اكتب هذا الاسم لكل لغة كما يرد في وسط الجملة، بصيغة المفرد وصيغة الجمع؛ وستستخدمه الصفحات والتقارير بعد ذلك. الصف الفارغ يُبقي الكلمة المعتادة في اللغة (تظهر باللون الرمادي).
field-worker-one = المفرد
field-worker-other = الجمع
flash-worker-words-saved = حُفظت التسمية التي يستخدمها «{ $name }»: { $workers }.
error-language-not-translated = الواجهة غير متوفرة بهذه اللغة.
history-field-worker-words = كيف يسمّي البرنامج { $workers }
programmes-show-archived = عرض البرامج المؤرشفة
programmes-hide-archived = إخفاء البرامج المؤرشفة
programme-new = برنامج جديد
programme-edit-title = تعديل { $name }
programme-period = الفترة
programme-ongoing = مستمر
programme-manage = الأرشفة أو الحذف
programme-manage-archive = أرشفة
programme-archive-hint = الأرشفة تُخرج البرنامج من القوائم وتحتفظ بكل سجلاته وأرقامه.
programme-delete-hint = يمكن حذف البرنامج نهائيًا إذا لم يكن فيه أي سجلات.

## Districts
districts-title = الأحياء
districts-empty = لا توجد أحياء بعد.
district-new = حي جديد
district-edit-title = إعادة تسمية { $name }

## Validation and errors
form-has-errors = يرجى تصحيح الحقول المحددة أدناه.
error-required = يرجى ملء هذا الحقل.
error-too-long = هذا النص طويل جدًا.
error-control-character = يحتوي أحد الحقول على حرف غير مسموح به (حرف تحكم مثل NUL). الحقل:
error-timed-out = استغرق الخادم وقتًا طويلًا جدًا للرد على هذا الطلب. حاول مرة أخرى، أو اطلب قائمة أو تقريرًا أصغر.
error-date-invalid = يرجى إدخال التاريخ بالصيغة YYYY-MM-DD.
error-end-before-start = تاريخ النهاية يقع قبل تاريخ البداية.
error-country-unknown = رمز بلد غير معروف: استخدم رمز ISO 3166 المكوّن من حرفين (مثل DE).
error-currency-unknown = رمز عملة غير معروف: استخدم رمز ISO 4217 المكوّن من ثلاثة أحرف (مثل EUR).
error-language-unknown = رمز لغة غير معروف: استخدم رمز ISO 639-1 المكوّن من حرفين (مثل de).
error-programme-name-taken = يوجد برنامج آخر بهذا الاسم.
error-district-name-taken = يوجد في هذا البرنامج حي بهذا الاسم.
error-email-invalid = يرجى إدخال عنوان بريد إلكتروني مثل name@example.org.
error-email-taken = يستخدم مستخدم آخر عنوان البريد الإلكتروني هذا.
error-role-unknown = يرجى اختيار أحد الأدوار.
error-programme-unknown = برنامج غير معروف.
error-programmes-required = يرجى اختيار برنامج واحد على الأقل.
error-own-role = لا يمكنك إزالة دور مسؤول النظام عن نفسك.
error-cannot-deactivate-self = لا يمكنك تعطيل حسابك الخاص.
error-user-unknown = يرجى اختيار مستخدم.
error-password-too-short = يجب أن تتكون كلمة المرور من 12 حرفًا على الأقل.
error-password-common = كلمة المرور هذه شائعة جدًا أو سهلة التخمين. جرّب بضع كلمات غير مألوفة معًا.
error-password-wrong = هذه ليست كلمة مرورك الحالية.
error-password-mismatch = كلمتا المرور الجديدتان غير متطابقتين.
error-csrf = انتهت صلاحية هذه الاستمارة أو أنها لم تأتِ من هذا الموقع. يرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.
error-password-change-required = يرجى تغيير كلمة المرور المؤقتة (لمرة واحدة) أولًا.
error-programme-has-data = هذا البرنامج يحتوي على بيانات ولا يمكن حذفه؛ يمكنك أرشفته بدلًا من ذلك.
error-validation = بعض الحقول غير صالحة.
error-bad-request = تعذّرت قراءة الطلب.
error-query-invalid = تعذّرت قراءة قيمة في العنوان (بعد علامة «?»). تحقق من عامل التصفية وحاول مرة أخرى.
error-page-invalid = يرجى إدخال رقم صفحة (1، 2، 3، …).
error-per-page-invalid = يرجى إدخال عدد الصفوف في الصفحة: عدد صحيح من 1 إلى { $max }.
filter-invalid = لم يُطبَّق عامل التصفية «{ $name }»: { $message }
error-unauthenticated = يرجى تسجيل الدخول.
error-forbidden = لا يُسمح لك بهذا الإجراء.
error-not-found = هذه الصفحة أو هذا السجل غير موجود، أو لا يُسمح لك برؤيته.
error-method-not-allowed = هذا العنوان لا يقبل هذا النوع من الطلبات.
error-database-unavailable = قاعدة البيانات لا تستجيب. يرجى المحاولة مرة أخرى بعد قليل.
error-internal = حدث خطأ من جهتنا. تم تسجيله.
error-request-id = الرقم المرجعي للدعم الفني: { $id }
error-back-home = العودة إلى الصفحة الرئيسية

## Mothers
mothers-title = { $workers }
mothers-count = { $count ->
    [zero] لم يُعثر على أي نتيجة
    [one] نتيجة واحدة
    [two] نتيجتان
    [few] { $count } نتائج
    [many] { $count } نتيجة
   *[other] { $count } نتيجة
}
mothers-empty = { $workers }: لا توجد نتائج مطابقة.
mother-new = إضافة { $worker }
mother-edit-title = تعديل { $name }
mother-training-hours = ساعات التدريب
mother-courses = الدورات التدريبية
mother-no-courses = غير مسجلة في أي دورة تدريبية بعد.
mother-history = سجل الحالات
mother-visit-count = الزيارات
mother-families = الأسر التي تزورها
mother-no-families = لا توجد أسر بعد.
family-status-active = نشطة
family-status-closed = مغلقة
family-last-visit = آخر زيارة { $date }
family-no-visit = لا توجد زيارة بعد
mother-change-status = الحالة الجديدة
mother-status-applicant = متقدمة
mother-status-in-training = قيد التدريب
mother-status-certified = حاصلة على شهادة (معتمدة)
mother-status-active = نشطة
mother-status-paused = متوقفة مؤقتًا
mother-status-left = غادرت
gender-female = أنثى
gender-male = ذكر
gender-diverse = متنوع
gender-undisclosed = غير مذكور
engagement-volunteer = متطوعة
engagement-allowance = تتلقى مكافأة
engagement-employed = موظفة
field-programme = البرنامج
field-district = الحي
field-status = الحالة
field-search-name = الاسم يحتوي على
field-language-spoken = تتحدث (رمز اللغة)
field-full-name = الاسم الكامل
field-phone = الهاتف
field-email-optional = البريد الإلكتروني (اختياري)
field-languages = اللغات
hint-languages = رموز ISO مفصولة بفواصل، مثل ar, tr, de.
field-country-of-origin = بلد الأصل
field-gender = الجنس
field-engagement = نوع المشاركة
field-monthly-allowance = المكافأة الشهرية
hint-monthly-allowance = بعملة البرنامج، للمكافأة (أو للراتب).
field-joined-on = تاريخ الانضمام
field-note = ملاحظة
field-date = التاريخ
field-reason = السبب
field-practice-visits = يمكن أن تقوم { $workers } قيد التدريب بزيارات تدريبية
field-completion-threshold = نسبة الحضور المطلوبة لإتمام الدورة (%)
hint-completion-threshold = نسبة وحدات الدورة التدريبية التي يجب أن تحضرها { $worker } لإتمامها.

## Training
courses-title = الدورات التدريبية
courses-empty = لا توجد دورات تدريبية بعد.
course-new = دورة تدريبية جديدة
course-edit-title = تعديل { $name }
course-modules = الوحدات
course-hours = الساعات
course-attendance = الحضور
course-enrolled-completed = المسجلات / المتمّات
course-enrolments = المشاركات
course-no-modules = لا توجد وحدات بعد.
course-no-enrolments = لا توجد مشاركات مسجلة بعد.
course-enrol = تسجيل { $worker }
course-all-enrolled = جميع { $workers } في البرنامج مسجلات في هذه الدورة التدريبية.
course-from-template = البدء بنموذج المنهج الخاص بالبرنامج
field-course = الدورة التدريبية
field-trainer = المدرب/ة
hint-trainer = مستخدم له دور المدرب/ة في البرنامج.
field-location = المكان
field-end-date-course = تاريخ النهاية
field-title = العنوان
field-topic = موضوع المنهج
field-interpreter-languages = لغات الترجمة الفورية
field-enrolled-on = تاريخ التسجيل
field-completed-on = تاريخ إتمام الدورة
field-certified-on = تاريخ الحصول على الشهادة (إن كان لاحقًا)
field-dropped-out-on = تاريخ الانسحاب
module-new = إضافة وحدة
module-edit-title = تعديل الوحدة { $name }
module-unscheduled = غير مجدولة
module-interpreter = مترجم/ة
hint-module-date = ضمن تواريخ الدورة التدريبية؛ يُترك فارغًا ما دامت الوحدة غير مجدولة.
enrolment-status-enrolled = مسجلة
enrolment-status-completed = أتمّت الدورة
enrolment-status-dropped-out = انسحبت
enrolment-close = إتمام الدورة أو الانسحاب
attendance-title = الحضور
attendance-present = حاضرة
attendance-absent = غائبة
attendance-excused = غائبة بعذر
curriculum-title = المنهج
curriculum-intro = المواضيع التي تغطيها الدورات التدريبية، ونموذج الوحدات الذي تبدأ به كل دورة جديدة.
curriculum-template = النموذج
curriculum-template-empty = لا توجد وحدات في النموذج بعد.
curriculum-topics = المواضيع
curriculum-topic-new = موضوع جديد لهذا البرنامج
topic-immigration-residence = الهجرة والإقامة
topic-language = اللغة
topic-work = العمل
topic-health = الصحة
topic-law = القانون
topic-childcare = رعاية الأطفال
topic-child-development = نمو الطفل
topic-schools = المدارس
action-take-attendance = الحضور
action-save-attendance = حفظ الحضور
action-complete = تسجيل إتمام الدورة
action-drop-out = تسجيل الانسحاب
action-enrol = تسجيل
action-remove = إزالة
flash-mother-created = تم تسجيل «{ $name }».
flash-mother-updated = تم حفظ «{ $name }».
flash-mother-status-changed = تم تغيير حالة «{ $name }».
flash-course-created = تم إنشاء الدورة التدريبية «{ $name }».
flash-course-updated = تم حفظ الدورة التدريبية «{ $name }».
flash-module-created = تمت إضافة الوحدة «{ $name }».
flash-module-updated = تم حفظ الوحدة «{ $name }».
flash-module-deleted = تمت إزالة الوحدة «{ $name }».
flash-module-has-attendance = للوحدة «{ $name }» سجل حضور ولا يمكن إزالتها.
flash-enrolled = تم التسجيل.
flash-enrolment-closed = هذا التسجيل مكتمل أو منتهٍ بالفعل.
flash-completed = تم تسجيل إتمام الدورة.
flash-dropped-out = تم تسجيل الانسحاب.
flash-attendance-saved = تم حفظ الحضور لـ«{ $name }».
flash-topic-created = تمت إضافة الموضوع «{ $name }».
error-percent = يرجى إدخال عدد صحيح من 1 إلى 100.
error-phone-invalid = يرجى إدخال رقم هاتف يحتوي فقط على أرقام ومسافات و + - ( ) /.
error-district-unknown = يرجى اختيار حي من أحياء البرنامج.
error-languages-unknown = استخدم رموز اللغات حسب ISO 639، مثل ar, tr, de.
error-choose-one = يرجى اختيار أحد الخيارات.
error-amount-invalid = يرجى إدخال مبلغ مثل 250 أو 250.50.
error-amount-too-large = يرجى إدخال مبلغ لا يزيد على 1,000,000,000.
error-allowance-required = المكافأة تحتاج إلى مبلغها الشهري.
error-allowance-volunteer = المتطوعة لا تتلقى مكافأة: اترك المبلغ فارغًا.
error-number = يرجى إدخال رقم.
error-topic-unknown = يرجى اختيار موضوع من مواضيع البرنامج.
error-topic-taken = هذا الموضوع موجود بالفعل في البرنامج.
error-trainer-not-in-programme = يرجى اختيار مستخدم له دور المدرب/ة في البرنامج.
error-course-name-taken = توجد في البرنامج دورة تدريبية بهذا الاسم.
error-course-modules-outside = { $count ->
    [zero] لا توجد وحدات تاريخها خارج هذه التواريخ.
    [one] وحدة واحدة تاريخها خارج هذه التواريخ؛ يرجى نقلها أولًا.
    [two] وحدتان تاريخهما خارج هذه التواريخ؛ يرجى نقلهما أولًا.
    [few] { $count } وحدات تاريخها خارج هذه التواريخ؛ يرجى نقلها أولًا.
    [many] { $count } وحدة تاريخها خارج هذه التواريخ؛ يرجى نقلها أولًا.
   *[other] { $count } وحدة تاريخها خارج هذه التواريخ؛ يرجى نقلها أولًا.
}
error-module-outside-course = يجب أن يقع التاريخ ضمن فترة الدورة التدريبية، من { $start } إلى { $end }.
error-module-has-attendance = تم تسجيل الحضور لهذه الوحدة.
error-module-not-scheduled = يرجى تحديد تاريخ للوحدة قبل تسجيل الحضور.
error-hours-invalid = يرجى إدخال عدد الساعات، مثل 2 أو 2.5 (24 على الأكثر).
error-mother-unknown = يرجى اختيار { $worker }.
error-mother-other-programme = { $worker } هذه تنتمي إلى برنامج غير برنامج الدورة التدريبية.
error-enrolled-after-course = تاريخ التسجيل يقع بعد نهاية الدورة التدريبية.
error-already-enrolled = { $worker } هذه مسجلة بالفعل في الدورة التدريبية.
error-enrolment-closed = هذا التسجيل مكتمل أو منتهٍ بالفعل.
error-not-enrolled = لا يمكن تسجيل الحضور إلا بالنسبة إلى { $workers } المسجلات في الدورة التدريبية (التسجيل { $id } ليس كذلك).
error-attendance-status = الحضور إما حاضرة أو غائبة أو غائبة بعذر.
error-attendance-below-threshold = عدد الوحدات التي حضرتها: { $attended } من أصل { $modules } ({ $percent } %)؛ والمطلوب { $needed } % لإتمام الدورة التدريبية.
error-completed-before-last-module = تاريخ إتمام الدورة يقع قبل آخر وحدة حضرتها ({ $date }).
error-completed-before-enrolment = تاريخ إتمام الدورة يقع قبل تاريخ التسجيل.
error-certified-before-completion = لا يمكن أن يسبق الحصول على الشهادة إتمامَ الدورة.
error-dropped-before-enrolment = تاريخ الانسحاب يقع قبل تاريخ التسجيل.

## Families and visits
visits-title = الزيارات
visits-count = { $count ->
    [zero] لا توجد زيارات
    [one] زيارة واحدة
    [two] زيارتان
    [few] { $count } زيارات
    [many] { $count } زيارة
   *[other] { $count } زيارة
}
visits-empty = لا توجد زيارات مطابقة.
visit-new = تسجيل زيارة
visit-anonymous = تواصل مجهول الهوية أو جماعي
visit-interpreter = مترجم/ة
visit-referral = إحالة
visit-duplicate-warning = لدى { $worker } هذه زيارة من هذا النوع مع هذه الأسرة في هذا التاريخ. ضع علامة على «حفظ على أي حال» أدناه إذا كانت هذه زيارة ثانية، أو غيّر التفاصيل.
visit-confirm-duplicate = حفظ على أي حال: هذه زيارة أخرى
visit-kind-home-visit = زيارة منزلية
visit-kind-phone = مكالمة هاتفية
visit-kind-accompaniment = مرافقة إلى جهة رسمية أو خدمة
visit-kind-group-meeting = لقاء جماعي
field-mother = { $worker }
field-family = الأسرة
field-duration = الدقائق
field-kind = النوع
field-topics = المواضيع التي نوقشت
field-visit-topic = الموضوع
field-interpreter-used = تمت الاستعانة بمترجم/ة
field-referrals = الإحالات التي تمت
field-next-step = الخطوة التالية
field-visit-note = ملاحظة (للمنسقين فقط)
service-youth-welfare = مكتب رعاية الشباب
service-school = المدرسة
service-day-care = الحضانة
service-health = الخدمات الصحية
service-job-centre = مكتب العمل
service-housing = السكن
service-legal-advice = الاستشارة القانونية
service-language-course = دورة لغة
service-other = أخرى
referral-status-open = مفتوحة
referral-status-done = منجزة
vtopic-children-upbringing = الأطفال والتربية
vtopic-health = الصحة
vtopic-schools = المدارس
vtopic-day-care = الحضانة
vtopic-authorities = التواصل مع الجهات الرسمية
vtopic-economy = الشؤون المالية
vtopic-work = العمل
vtopic-language = اللغة
vtopic-law-residence = القانون والإقامة
vtopic-housing = السكن
vtopic-loneliness = الوحدة والعزلة
action-save-another = حفظ وتسجيل زيارة أخرى
action-mark-done = تحديد كمنجزة
action-close-family = إغلاق ملف الأسرة
action-retire = إيقاف الاستخدام
families-title = الأسر
families-empty = لا توجد أسر مطابقة.
families-active = النشطة
families-all = الكل
families-count = { $count ->
    [zero] لا توجد أسر
    [one] أسرة واحدة
    [two] أسرتان
    [few] { $count } أسر
    [many] { $count } أسرة
   *[other] { $count } أسرة
}
family-new = أسرة جديدة
family-personal = البيانات الشخصية (اختيارية)
hint-family-personal = لا يراها إلا المنسقون ومسؤولو النظام. اتركها فارغة ليبقى اسم الأسرة مستعارًا.
family-timeline = الزيارات
family-close = إغلاق
family-closed-on = تاريخ الإغلاق
family-no-consent = غير مسجلة
family-last-visit-title = آخر زيارة
follow-up-title = المتابعة
follow-up-link = { $days ->
    [zero] بلا زيارة منذ { $days } يوم
    [one] بلا زيارة منذ يوم واحد
    [two] بلا زيارة منذ يومين
    [few] بلا زيارة منذ { $days } أيام
    [many] بلا زيارة منذ { $days } يومًا
   *[other] بلا زيارة منذ { $days } يوم
}
follow-up-intro = { $days ->
    [zero] الأسر النشطة التي لم تُزر خلال آخر { $days } يوم.
    [one] الأسر النشطة التي لم تُزر خلال اليوم الأخير.
    [two] الأسر النشطة التي لم تُزر خلال اليومين الأخيرين.
    [few] الأسر النشطة التي لم تُزر خلال آخر { $days } أيام.
    [many] الأسر النشطة التي لم تُزر خلال آخر { $days } يومًا.
   *[other] الأسر النشطة التي لم تُزر خلال آخر { $days } يوم.
}
field-reference = الرمز المرجعي
field-family-name = الاسم
field-address = العنوان
field-children = الأطفال
field-birth-years = سنوات الميلاد
hint-birth-years = اختياري، مثل 2015, 2019.
field-contact-origin = كيف بدأ التواصل
field-first-contact = أول تواصل
field-consent-on = تاريخ الموافقة
field-consent-scope = نطاق الموافقة
hint-consent-scope = مثل «الزيارات والإحالات؛ بدون صور».
field-primary-mother = { $worker } الرئيسية
origin-own-network = معارف { $worker } الشخصية
origin-authority = إحالة من جهة رسمية
origin-school-daycare = المدرسة أو الحضانة
origin-event = فعالية
origin-other = أخرى
referrals-title = الإحالات
referrals-intro = الإحالات التي تمت أثناء الزيارات، بدءًا من أقدم زيارة: تظهر الإحالات المفتوحة ما لم تختر نتيجة أخرى.
referrals-empty = لا توجد إحالات مطابقة.
topics-title = مواضيع الزيارات
topics-intro = المواضيع المعروضة في استمارة الزيارة. الموضوع الموقوف لا يُعرض بعد ذلك، لكنه يبقى في الزيارات السابقة وفي التقارير.
topic-default = افتراضي
topic-new = موضوع جديد
status-retired = موقوف
events-title = الفعاليات
events-empty = لا توجد فعاليات بعد.
event-new = تسجيل فعالية
event-participants = المشاركون المهاجرون / المحليون
event-migrant = المشاركون المهاجرون
event-local = المشاركون المحليون
event-mothers = { $workers } المشاركات
event-kind-event = فعالية
event-kind-workshop = ورشة عمل
event-kind-information-session = جلسة إعلامية
event-kind-excursion = رحلة
flash-visit-saved = تم حفظ الزيارة.
flash-visit-saved-another = تم حفظ الزيارة. يمكنك تسجيل الزيارة التالية.
flash-family-created = تم تسجيل الأسرة { $name }.
flash-family-updated = تم حفظ الأسرة { $name }.
flash-family-closed = تم إغلاق ملف الأسرة { $name }.
flash-family-already-closed = ملف هذه الأسرة مغلق بالفعل.
flash-referral-done = تم تحديد الإحالة كمنجزة.
flash-topic-renamed = تمت إعادة تسمية الموضوع «{ $name }».
flash-topic-retired = تم إيقاف استخدام الموضوع «{ $name }».
flash-topic-restored = أصبح الموضوع «{ $name }» متاحًا مرة أخرى.
flash-event-created = تم تسجيل الفعالية «{ $name }».
error-visit-in-future = لا يمكن أن تكون الزيارة في المستقبل.
error-mother-may-not-visit = لا يمكن أن تقوم { $worker } هذه بزيارات بعد (الحالة: { $status })؛ يجب أن تكون حاصلة على شهادة أو نشطة.
error-family-other-programme = هذه الأسرة تنتمي إلى برنامج غير برنامج { $worker }.
error-family-closed = ملف هذه الأسرة مغلق: لا يمكن تسجيل زيارات جديدة.
error-family-unknown = يرجى اختيار أسرة.
error-family-code-unknown = لا توجد أسرة في برنامج { $worker } هذه بهذا الرمز المرجعي.
field-family-code = أو الرمز المرجعي للأسرة
hint-family-code = للأسرة غير الموجودة في أيٍّ من القائمتين، اكتب رمزها المرجعي كما هو مطبوع في صفحتها.
error-topics-required = يرجى اختيار موضوع واحد على الأقل.
error-service-unknown = يرجى اختيار الخدمات من القائمة.
error-visit-duplicate = هذه الزيارة نفسها مسجلة من قبل.
error-duration = يرجى إدخال عدد الدقائق، من 1 إلى 1440.
error-children-count = يرجى إدخال رقم من 0 إلى 30.
error-birth-years = يرجى إدخال سنوات مثل 2015, 2019.
error-done-before-visit = لا يمكن إنجاز الإحالة قبل تاريخ زيارتها.
error-topic-default = لا يمكن تغيير المواضيع الافتراضية.
error-bulk-failed = لم يُحفظ شيء: بعض الزيارات غير صالحة (انظر العناصر).

## Funding
funding-title = التمويل
grants-title = المنح
grants-empty = لا توجد منح بعد.
grant-new = منحة جديدة
grant-edit = تعديل المنحة
grant-amount = المبلغ
grant-spent = المصروف
grant-remaining = المتبقي
grant-by-month = الإنفاق حسب الشهر
grant-nothing-spent = لم يُصرف أي مبلغ من هذه المنحة بعد.
grant-districts = مقتصرة على الأحياء
hint-grant-districts = اترك جميع الخانات دون تحديد إذا كانت المنحة تغطي البرنامج كله.
grant-overspent = الإنفاق يتجاوز المنحة بمبلغ { $amount }.
grant-outside-period = { $count ->
    [zero] لا توجد مصروفات محمّلة على هذه المنحة خارج فترتها
    [one] مصروف واحد محمّل على هذه المنحة يقع خارج فترتها
    [two] مصروفان محمّلان على هذه المنحة يقعان خارج فترتها
    [few] { $count } مصروفات محمّلة على هذه المنحة تقع خارج فترتها
    [many] { $count } مصروفًا محمّلًا على هذه المنحة يقع خارج فترتها
   *[other] { $count } مصروف محمّل على هذه المنحة يقع خارج فترتها
}
grant-warning-overspent = تجاوز في الإنفاق
grant-warning-outside-period = خارج الفترة
grant-status-applied = تم تقديم الطلب
grant-status-granted = ممنوحة
grant-status-rejected = مرفوضة
grant-status-closed = مغلقة
hint-grant-currency = عملة البرنامج؛ اتركه فارغًا لاستخدامها.
funders-title = الجهات المانحة
funder-new = جهة مانحة جديدة
funder-kind-government = حكومة أو وزارة
funder-kind-municipality = بلدية
funder-kind-foundation = مؤسسة خيرية
funder-kind-eu-fund = صندوق أوروبي
funder-kind-private-donor = متبرع خاص
funder-kind-own-capital = تمويل ذاتي
field-funder = الجهة المانحة
field-funder-kind = نوع الجهة المانحة
field-contact = جهة الاتصال
field-purpose = الغرض
field-amount = المبلغ
field-category = الفئة
field-grant = محمّل على المنحة
field-month = الشهر
expenses-title = المصروفات
expenses-list = جميع المصروفات
expenses-empty = لا توجد مصروفات بعد.
expense-new = مصروف جديد
expense-edit = تعديل المصروف
expense-draft = مسودة
category-allowances = مكافآت { $workers }
category-training = التدريب
category-coordination = موظفو التنسيق
category-interpreters = المترجمون
category-events = الفعاليات
category-materials = المواد
category-other = أخرى
allowances-title = المكافآت
allowances-intro = بإجراء واحد تُنشأ دفعات المكافآت لشهر كامل، انطلاقًا من المكافآت الشهرية العائدة إلى { $workers } اللواتي يتلقين مكافأة (قيد التدريب أو حاصلات على شهادة أو نشطات). راجعها وعدّلها، ثم أكّدها.
allowance-run-confirmed = مؤكَّدة
allowance-run-draft-hint = عدّل المبالغ إذا لزم الأمر، ثم أكّدها.
allowance-run-empty = لا تتلقى أي واحدة من { $workers } في هذا البرنامج مكافأة.
allowance-run-total = المجموع
action-run-allowances = إنشاء دفعات الشهر
action-confirm-payments = تأكيد الدفعات
flash-funder-created = تمت إضافة الجهة المانحة «{ $name }».
flash-grant-created = تم تسجيل المنحة المقدمة من { $name }.
flash-grant-updated = تم حفظ المنحة المقدمة من { $name }.
flash-expense-created = تم تسجيل المصروف.
flash-expense-updated = تم حفظ المصروف.
flash-allowance-run-created = تم إنشاء دفعات { $name } كمسودات.
flash-allowance-run-saved = تم حفظ دفعات { $name }.
flash-allowance-run-confirmed = تم تأكيد دفعات { $name }.
flash-amount-invalid = «{ $name }» ليس مبلغًا.
flash-amount-too-large = «{ $name }» أكبر من أعلى مبلغ مقبول، وهو 1,000,000,000.
error-currency-mismatch = مبالغ هذا البرنامج بعملة { $currency }؛ لا يتم تحويل أي مبلغ.
error-currency-not-programme = يجب أن تكون العملة هي عملة البرنامج.
error-currency-in-use = للبرنامج منح أو مصروفات بعملته؛ لا يمكن تغييرها.
error-funder-taken = توجد جهة مانحة بهذا الاسم.
error-funder-unknown = يرجى اختيار جهة مانحة.
error-funder-programme-required = يرجى اختيار البرنامج الذي تتبع له هذه الجهة المانحة.
error-funder-shared-admin = لا يضيف أو يغيّر الجهات المانحة المشتركة بين جميع البرامج إلا مسؤول النظام.
error-funder-used-elsewhere = منح برنامج آخر تستخدم هذه الجهة المانحة؛ تبقى تابعة لذلك البرنامج أو مشتركة.
funder-owner = تتبع لـ
funder-shared = مشتركة بين جميع البرامج
hint-funder-owner = لا يمكن استخدام هذه الجهة المانحة إلا في منح هذا البرنامج، ولا يغيّرها إلا مديرو المشروع فيه.
error-grant-unknown = يرجى اختيار منحة من منح البرنامج.
error-month-invalid = يرجى إدخال الشهر بالصيغة YYYY-MM.
error-allowance-run-exists = تم إنشاء دفعات المكافآت لشهر { $month } من قبل.
error-allowance-run-confirmed = هذه الدفعات مؤكَّدة بالفعل.
error-expense-confirmed = لا يمكن تغيير دفعة مؤكَّدة من هنا.

## Reports
error-year-invalid = يرجى إدخال السنة، مثل 2012.
report-title = التقرير السنوي { $year }
report-all-programmes = جميع برامجي
report-csv = تنزيل بصيغة CSV
report-mothers = { $workers } المدرَّبات
report-mothers-trained = { $workers } المدرَّبات
report-active-at-year-end = { $workers } النشطات في 31 ديسمبر
report-visits = الزيارات
report-count = العدد
report-share = النسبة من الزيارات
report-no-district = بدون حي
report-families = الأسر
report-families-reached = الأسر التي تم الوصول إليها
report-families-new = الأسر الجديدة
report-topics = المواضيع التي نوقشت
report-none = لا شيء في هذه السنة.
report-referrals = الإحالات
report-service = الخدمة
report-done = منجزة
report-events = الفعاليات
report-funding = التمويل والتكاليف
report-received = المبالغ المستلمة
report-cost-per-visit = التكلفة لكل زيارة
report-cost-per-mother = التكلفة لكل واحدة من { $workers } المدرَّبات
report-own-capital-share = نسبة التمويل الذاتي
field-year = السنة
action-show = عرض
def-mothers-trained = { $workers } المدرَّبات في سنة ما: { $workers } اللواتي يقع تاريخ إتمام الدورة لهن في تلك السنة (تُحسب كل واحدة مرة واحدة في السنة).
def-active = النشطات في 31 ديسمبر: { $workers } اللواتي جعلهن آخر تغيير للحالة في ذلك اليوم أو قبله «نشطات».
def-visits = الزيارات المؤرخة في السنة، حسب الشهر والنوع والحي؛ حي الزيارة هو حي الأسرة، أو حي { $worker } إذا كانت الزيارة بدون أسرة.
def-families = تم الوصول إليها: الأسر التي تلقت زيارة واحدة على الأقل في السنة. جديدة: الأسر التي يقع تاريخ أول تواصل معها في السنة.
def-topics = زيارات السنة التي ناقشت كل موضوع (قد تناقش الزيارة عدة مواضيع)، ونسبتها من جميع زيارات السنة. المواضيع الموقوفة تُحسب حيث استُخدمت.
def-referrals = الإحالات التي تمت أثناء زيارات السنة، حسب الخدمة، وعدد المنجز منها.
def-funding = المبالغ المستلمة: المنح الممنوحة (أو المغلقة)، وتُحسب كل منحة بنسبة أيامها الواقعة في السنة.
def-expenses = المصروفات: المصروفات المؤكَّدة المؤرخة في السنة (لا تُحتسب دفعات المكافآت التي ما زالت مسودة).
def-ratios = التكلفة لكل زيارة ولكل واحدة من { $workers } المدرَّبات تساوي مصروفات السنة مقسومة على عدد الزيارات وعلى عدد { $workers } المدرَّبات؛ ونسبة التمويل الذاتي تساوي التمويل الذاتي مقسومًا على كل التمويل المستلم. النسبة التي ليس لها ما يُقسم عليه تظهر بالشكل «–»؛ ولا تُجمع أبدًا مبالغ بعملات مختلفة.
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
chart-visits = الزيارات شهريًا، { $year } (الأعمدة) والسنة السابقة (الخط)
chart-topics = المواضيع التي نوقشت في { $year }
chart-trained = { $workers } المدرَّبات سنويًا
report-xlsx = تنزيل بصيغة Excel (XLSX)
report-summary = الملخص
report-figure = المؤشر
report-value = القيمة
report-visits-by-month = الزيارات حسب الشهر
report-visits-by-kind = الزيارات حسب النوع
report-visits-by-district = الزيارات حسب الحي
report-funding-by-funder = التمويل حسب الجهة المانحة
field-from-year = من سنة
field-to-year = إلى سنة
action-compare = مقارنة
report-referrals-done = الإحالات المنجزة
report-compare = مقارنة البرامج والسنوات
compare-title = المقارنة
compare-programmes = البرامج جنبًا إلى جنب
compare-programmes-in = البرامج في { $year }
compare-years = سنوات برنامج واحد
compare-empty = لا يوجد ما يُقارن: لم يتم اختيار أي برنامج.
def-compare = كل عمود هو التقرير السنوي لذلك البرنامج في تلك السنة؛ والأرقام معرَّفة كما في التقرير السنوي. المبالغ بالعملة الخاصة بكل برنامج ولا تُجمع أبدًا عبر عملات مختلفة.
error-compare-by = يرجى مقارنة البرامج أو السنوات، لا كليهما.
error-compare-from-after-to = يجب ألا تأتي السنة الأولى بعد السنة الأخيرة.
error-compare-too-many-years = { $max ->
    [zero] لا يمكن مقارنة أي سنة.
    [one] يمكن مقارنة سنة واحدة على الأكثر في المرة الواحدة.
    [two] يمكن مقارنة سنتين على الأكثر في المرة الواحدة.
    [few] يمكن مقارنة { $max } سنوات على الأكثر في المرة الواحدة.
    [many] يمكن مقارنة { $max } سنة على الأكثر في المرة الواحدة.
   *[other] يمكن مقارنة { $max } سنة على الأكثر في المرة الواحدة.
}
grant-report-title = تقرير الجهة المانحة
grant-report-link = تقرير الجهة المانحة
grant-report-activity = ما موّلته المنحة
grant-report-spending = الإنفاق من المنحة
grant-report-mothers-visiting = { $workers } اللواتي قمن بزيارات
grant-whole-programme = البرنامج كله
def-grant-activity = يُحسب ضمن فترة المنحة وفي برنامجها، وإذا كانت المنحة مقتصرة على أحياء معينة ففي تلك الأحياء فقط: الزيارات (حي الزيارة هو حي الأسرة، أو حي { $worker })، والأسر التي وصلت إليها، وكذلك { $workers } اللواتي قمن بها، ومواضيعها وإحالاتها؛ والأسر الجديدة حسب تاريخ أول تواصل؛ وكذلك { $workers } المدرَّبات حسب تاريخ إتمام الدورة؛ والفعاليات حسب تاريخها.
def-grant-spending = المصروف: المصروفات المؤكَّدة المحمّلة على هذه المنحة. والتكلفة لكل زيارة تساويها مقسومة على الزيارات المذكورة أعلاه.
field-districts = الأحياء
visits-count-more = { $count ->
    [zero] أكثر من { $count } زيارة: ضيّق عوامل التصفية لرؤيتها كلها.
    [one] أكثر من زيارة واحدة: ضيّق عوامل التصفية لرؤيتها كلها.
    [two] أكثر من زيارتين: ضيّق عوامل التصفية لرؤيتها كلها.
    [few] أكثر من { $count } زيارات: ضيّق عوامل التصفية لرؤيتها كلها.
    [many] أكثر من { $count } زيارة: ضيّق عوامل التصفية لرؤيتها كلها.
   *[other] أكثر من { $count } زيارة: ضيّق عوامل التصفية لرؤيتها كلها.
}

## Correcting visits and referrals; record histories; error summaries
visit-title = زيارة بتاريخ { $date }
visit-correct = تصحيح الزيارة
visit-back = العودة إلى الزيارة
visit-voided = ملغاة
visit-voided-because = ملغاة: { $reason }
visit-void = إلغاء هذه الزيارة
visit-void-hint = الزيارة الملغاة لا تُحتسب في أي تقرير. تبقى محفوظة في السجل، مشطوبة، مع سبب إلغائها، ويمكن استعادتها.
action-correct = تصحيح هذه الزيارة
action-void-visit = إلغاء الزيارة
action-restore-visit = استعادة الزيارة
flash-visit-corrected = تم تصحيح الزيارة.
flash-visit-voided = تم إلغاء الزيارة. لم تعد تُحتسب في التقارير.
flash-visit-restored = تمت استعادة الزيارة. أصبحت تُحتسب مرة أخرى.
flash-referral-saved = تم حفظ الإحالة.
error-visit-voided = هذه الزيارة ملغاة. يرجى استعادتها قبل تصحيحها.
error-visit-mother-other-programme = { $worker } هذه تعمل في برنامج غير برنامج الزيارة.
error-referral-has-outcome = لا يمكن التراجع عن إحالة لها نتيجة. يرجى إعادة فتحها أولًا.
error-family-and-anonymous = يرجى اختيار أسرة أو وضع علامة على «تواصل مجهول الهوية»، وليس الاثنين معًا.
error-family-or-anonymous = يرجى اختيار الأسرة التي تمت زيارتها، أو وضع علامة على «تواصل مجهول الهوية».
error-date-in-future = هذا التاريخ في المستقبل.
visit-choose-family = – اختر أسرة –
visit-family-caseload = أسرها
visit-family-found = الأسر التي تم العثور عليها
field-family-search = البحث بالرمز
field-family-search-name = البحث بالرمز أو الاسم
action-find-family = بحث
hint-family-search = يبحث في الأسر المفتوحة في برنامج { $worker } المختارة. تعرض قائمة الأسر أسرها هي إلى أن تبحث.
hint-visit-mother = بعد اختيار واحدة أخرى من { $workers }، اضغط «بحث» لعرض أسرها.
visit-anonymous-tick = تواصل مجهول الهوية (دون تسجيل أسرة)
referral-status-not-taken-up = لم يُستفد منها
field-outcome = النتيجة
field-outcome-on = تاريخ النتيجة
field-outcome-note = ماذا نتج عنها
field-service = الخدمة
action-save-outcome = حفظ
referrals-count = { $count ->
    [zero] لا توجد إحالات
    [one] إحالة واحدة
    [two] إحالتان
    [few] { $count } إحالات
    [many] { $count } إحالة
   *[other] { $count } إحالة
}
changes-title = سجل التعديلات
history-system = النظام
history-yes = نعم
history-no = لا
history-changed = تم التغيير (غير معروض)
history-action-create = أُنشئ
history-action-update = عُدّل
history-action-delete = حُذف
history-action-void = أُلغي
history-action-restore = استُعيد
history-action-outcome = سُجّلت النتيجة
history-action-reopen = أُعيد فتحه
history-action-done = حُدّد كمنجز
history-action-complete = سُجّل إتمام الدورة
history-action-drop-out = سُجّل الانسحاب
history-action-undo-close = أُلغي تسجيل إتمام الدورة أو الانسحاب
history-action-change-status = تغيّرت الحالة
history-action-close = أُغلق
history-referral-create = تمت الإحالة
history-referral-not-taken-up = لم يُستفد من الإحالة
history-referral-reopen = أُعيد فتح الإحالة
history-referral-update = تغيّرت نتيجة الإحالة
history-referral-done = حُدّدت الإحالة كمنجزة
history-field-mother-id = { $worker }
history-field-family-id = الأسرة
history-field-visited-on = التاريخ
history-field-duration-minutes = المدة (بالدقائق)
history-field-topic-ids = المواضيع
history-field-interpreter-used = مترجم/ة
history-field-void-reason = سبب الإلغاء
history-field-done-on = تاريخ النتيجة
history-field-outcome-note = ماذا نتج عنها
history-field-service = الخدمة
history-field-district-id = الحي
history-field-programme-id = البرنامج
history-field-primary-mother-id = { $worker } الرئيسية
history-field-children-count = الأطفال
history-field-children-birth-years = سنوات ميلاد الأطفال
history-field-first-contact-on = أول تواصل
history-field-consent-on = تاريخ الموافقة
history-field-closed-on = تاريخ الإغلاق
history-field-closed-reason = سبب الإغلاق
history-field-changed-on = تاريخ التغيير
history-field-joined-on = تاريخ الانضمام
history-field-monthly-allowance-minor = المكافأة الشهرية
history-field-held-on = التاريخ
history-field-migrant-participants = المشاركون المهاجرون
history-field-local-participants = المشاركون المحليون
history-field-mother-ids = { $workers } المشاركات
history-field-completed-on = تاريخ إتمام الدورة
history-field-certified-on = تاريخ الحصول على الشهادة
history-field-dropped-out-on = تاريخ الانسحاب
history-field-drop-out-reason = سبب الانسحاب
event-correct = تصحيح الفعالية
event-delete = حذف هذه الفعالية
action-delete-event = حذف الفعالية
flash-event-corrected = تم تصحيح الفعالية «{ $name }».
flash-event-deleted = تم حذف الفعالية.
error-event-other-programme = تبقى الفعالية في برنامجها.
history-field-title = العنوان
history-field-interpreter-languages = لغات الترجمة الفورية
enrolment-reopen = التراجع عن إتمام الدورة أو الانسحاب
action-reopen-enrolment = تراجع
flash-enrolment-reopened = أصبح التسجيل مفتوحًا مرة أخرى.
error-enrolment-open = هذا التسجيل ما زال مفتوحًا: لا يوجد ما يمكن التراجع عنه.
history-field-reason = السبب
entity-visit = زيارة
entity-family = أسرة
entity-mother = { $worker }
entity-event = فعالية
entity-referral = إحالة
entity-course = دورة تدريبية
entity-course_module = وحدة
entity-enrolment = تسجيل في دورة
entity-grant = منحة
entity-funder = جهة مانحة
entity-expense = مصروف
entity-topic = موضوع زيارة
entity-curriculum_topic = موضوع المنهج
entity-template_module = وحدة المنهج
entity-allowance_run = دفعات المكافآت
home-title = نظرة عامة
home-no-visit-30 = أسر بلا زيارة منذ 30 يومًا
home-no-visit-90 = أسر بلا زيارة منذ 90 يومًا
home-open-referrals = إحالات مفتوحة
home-visits-this-month = زيارات هذا الشهر
home-visits-per-mother = زيارات هذا الشهر، حسب { $worker }
home-no-visits-this-month = لا توجد زيارات هذا الشهر بعد.
home-coming-modules = الوحدات القادمة
home-attendance-not-taken = وحدات عُقدت دون تسجيل الحضور
home-below-share = { $workers } اللواتي حضورهن أقل من النسبة المطلوبة في دورتهن
home-needed = المطلوب { $percent } %
home-none = لا يوجد شيء هنا.
home-this-year-and-last = هذه السنة والسنة الماضية
home-visits = الزيارات
home-families-reached = الأسر التي تم الوصول إليها
home-mothers-trained = { $workers } المدرَّبات
home-yearly-report = التقرير السنوي
home-compare = مقارنة البرامج
home-grants = المنح الجارية: المصروف مقابل الممنوح
home-spent = نسبة المصروف
home-users = حسابات المستخدمين
home-active-tokens = مفاتيح API المستخدمة
home-db-ok = قاعدة البيانات تستجيب.
home-db-unknown = إحصاءات قاعدة البيانات غير متاحة
home-db-connections = { $count ->
    [zero] لا توجد اتصالات
    [one] اتصال واحد
    [two] اتصالان
    [few] { $count } اتصالات
    [many] { $count } اتصالًا
   *[other] { $count } اتصال
}
home-latest-changes = آخر التغييرات
grant-rule-districts = هذه المنحة مقتصرة على أحيائها: الأرقام أدناه هي النشاط في تلك الأحياء خلال فترة المنحة.
grant-rule-share = هذه المنحة غير مقتصرة على أحياء معينة: الأرقام أدناه هي كل نشاط البرنامج خلال فترة المنحة، وقد موّلته أيضًا مصادر تمويل أخرى.
grant-rule-share-figure = نسبة المنحة من تمويل البرنامج في هذه الفترة: { $share }.
grant-rule-share-unknown = لا يوجد تمويل مسجل لهذه الفترة، لذلك لا يمكن نسب أي حصة إلى المنحة.
grant-attributed-visits = الزيارات المنسوبة إلى المنحة
grant-attributed-families = الأسر التي تم الوصول إليها، المنسوبة إلى المنحة
grant-attributed-mothers-trained = { $workers } المدرَّبات، المنسوبات إلى المنحة
export-about = عن هذا الملف
export-report = التقرير
export-period = الفترة
export-made-on = تاريخ الإعداد
export-rule = ما تشمله الأرقام
export-funding-in-period = تمويل البرنامج في هذه الفترة
export-grant-share = حصة المنحة
export-spent-by-category = المصروف حسب الفئة
export-spent-by-month = المصروف حسب الشهر
history-field-client-ip = عنوان IP
history-field-expires-at = ينتهي في
history-field-retired-at = تاريخ إيقاف الاستخدام
history-field-active = نشط
history-field-seed = البذرة (Seed)
history-field-years = السنوات
history-field-user-id = المستخدم
history-field-programme-ids = البرامج
history-field-role = الدور
history-field-email = البريد الإلكتروني
history-field-display-name = الاسم
history-field-label = التسمية
history-field-name = الاسم
history-field-reference-code = الرمز المرجعي
history-field-family-code = رمز الأسرة
history-field-must-change-password = يجب تغيير كلمة المرور
history-field-language = اللغة
history-field-amount-minor = المبلغ
history-field-spent-on = تاريخ الصرف
history-field-category = الفئة
history-field-purpose = الغرض
history-field-reference = المرجع
history-field-starts-on = البداية
history-field-ends-on = النهاية
history-field-month = الشهر
history-field-minutes = الدقائق
history-field-position = الترتيب
history-field-topic-id = الموضوع
history-field-location = المكان
history-field-trainer-id = المدرب/ة
history-field-course-id = الدورة التدريبية
history-field-enrolled-on = تاريخ التسجيل
history-field-full-name = الاسم
history-field-gender = الجنس
history-field-engagement = نوع المشاركة
history-field-country-of-origin = بلد الأصل
history-field-next-step = الخطوة التالية
history-field-referrals = الإحالات
history-field-kind = النوع
history-field-status = الحالة
history-field-note = ملاحظة
history-field-phone = الهاتف
history-field-address = العنوان
history-field-languages = اللغات
history-field-consent-scope = نطاق الموافقة
history-field-funder-id = الجهة المانحة
history-field-grant-id = المنحة
history-field-currency = العملة
history-field-city = المدينة
history-field-country = البلد
history-field-default-language = اللغة الافتراضية
history-field-start-date = البداية
history-field-end-date = النهاية
history-field-description = الوصف
history-field-practice-visits-allowed = الزيارات التدريبية مسموح بها
history-field-completion-threshold-percent = نسبة الحضور المطلوبة لإتمام الدورة (%)
history-field-monthly-allowance = المكافأة الشهرية
history-field-count = العدد
history-field-session-epoch = إنهاء الجلسات
history-field-token-hash = المفتاح
history-field-last-used-at = آخر استخدام
history-field-revoked-at = تاريخ الإبطال
history-field-mothers = { $workers }
history-field-families = الأسر
history-field-visits = الزيارات
history-field-attempts = المحاولات
history-field-until = حتى
history-field-changed = ما تغيّر
history-field-from-status = من
history-field-to-status = إلى
history-action-login = سجّل الدخول
history-action-login-failed = فشل تسجيل الدخول
history-action-logout = سجّل الخروج
history-action-lockout = أُوقف الدخول بعد محاولات فاشلة
history-action-generate = أُنشئت بيانات تجريبية
history-action-revoke = أُبطل
history-action-record-attendance = سُجّل الحضور
history-action-confirm = أُكّد
history-action-allowance-run = دُفعت المكافآت
history-action-change-password = تغيّرت كلمة المرور
history-action-retire = أُوقف استخدامه
history-action-rename = أُعيدت تسميته
history-action-reset-password = أُعيد تعيين كلمة المرور
history-action-enrol = سُجّلت في الدورة
home-whole-log = سجل التغييرات كاملًا
visit-family-search-result = { $count ->
    [0] لا توجد أسرة مفتوحة تطابق «{ $query }».
    [one] أسرة واحدة تطابق «{ $query }»؛ وقد تم اختيارها.
    [two] أسرتان تطابقان «{ $query }»: يرجى اختيار إحداهما.
    [few] { $count } أسر تطابق «{ $query }»: يرجى اختيار إحداها.
    [many] { $count } أسرة تطابق «{ $query }»: يرجى اختيار إحداها.
   *[other] { $count } أسرة تطابق «{ $query }»: يرجى اختيار إحداها.
}
action-record-outcome = تسجيل النتيجة

## Names of languages, countries and currencies (web::catalogue)
lang-am = الأمهرية
lang-ar = العربية
lang-bg = البلغارية
lang-bn = البنغالية
lang-bs = البوسنية
lang-ckb = الكردية (السورانية)
lang-da = الدنماركية
lang-de = الألمانية
lang-el = اليونانية
lang-en = الإنجليزية
lang-es = الإسبانية
lang-fa = الفارسية
lang-fr = الفرنسية
lang-ha = الهوسا
lang-hi = الهندية
lang-hr = الكرواتية
lang-hu = المجرية
lang-it = الإيطالية
lang-kmr = الكردية (الكرمانجية)
lang-ku = الكردية
lang-ln = اللينغالا
lang-nl = الهولندية
lang-no = النرويجية
lang-pa = البنجابية
lang-pl = البولندية
lang-prs = الدارية
lang-ps = البشتو
lang-pt = البرتغالية
lang-ro = الرومانية
lang-ru = الروسية
lang-sq = الألبانية
lang-sr = الصربية
lang-so = الصومالية
lang-sv = السويدية
lang-sw = السواحلية
lang-ta = التاميلية
lang-th = التايلاندية
lang-ti = التغرينية
lang-tl = التاغالوغية
lang-tr = التركية
lang-uk = الأوكرانية
lang-ur = الأردية
lang-vi = الفيتنامية
lang-wo = الولوفية
lang-zh = الصينية
country-af = أفغانستان
country-al = ألبانيا
country-am = أرمينيا
country-at = النمسا
country-az = أذربيجان
country-ba = البوسنة والهرسك
country-bd = بنغلاديش
country-be = بلجيكا
country-bg = بلغاريا
country-cd = الكونغو الديمقراطية
country-ch = سويسرا
country-cm = الكاميرون
country-cn = الصين
country-cz = التشيك
country-de = ألمانيا
country-dk = الدنمارك
country-dz = الجزائر
country-eg = مصر
country-er = إريتريا
country-es = إسبانيا
country-et = إثيوبيا
country-fi = فنلندا
country-fr = فرنسا
country-gb = المملكة المتحدة
country-ge = جورجيا
country-gh = غانا
country-gm = غامبيا
country-gn = غينيا
country-gr = اليونان
country-hr = كرواتيا
country-hu = المجر
country-ie = أيرلندا
country-in = الهند
country-iq = العراق
country-ir = إيران
country-is = آيسلندا
country-it = إيطاليا
country-jo = الأردن
country-ke = كينيا
country-lb = لبنان
country-lk = سريلانكا
country-ly = ليبيا
country-ma = المغرب
country-md = مولدوفا
country-mk = مقدونيا الشمالية
country-ng = نيجيريا
country-nl = هولندا
country-no = النرويج
country-ps = الأراضي الفلسطينية
country-ph = الفلبين
country-pk = باكستان
country-pl = بولندا
country-pt = البرتغال
country-ro = رومانيا
country-rs = صربيا
country-ru = روسيا
country-sd = السودان
country-se = السويد
country-sn = السنغال
country-so = الصومال
country-ss = جنوب السودان
country-sy = سوريا
country-th = تايلاند
country-tn = تونس
country-tr = تركيا
country-ua = أوكرانيا
country-us = الولايات المتحدة
country-vn = فيتنام
country-ye = اليمن
currency-eur = يورو
currency-dkk = كرونة دنماركية
currency-sek = كرونة سويدية
currency-nok = كرونة نرويجية
currency-isk = كرونة آيسلندية
currency-chf = فرنك سويسري
currency-gbp = جنيه إسترليني
currency-pln = زلوتي بولندي
currency-czk = كرونة تشيكية
currency-huf = فورنت مجري
currency-ron = ليو روماني
currency-bgn = ليف بلغاري
currency-try = ليرة تركية
currency-usd = دولار أمريكي
action-choose-language = العرض بهذه اللغة
unit-minutes = { $count } دقيقة

## سطر الأوامر (يقرؤه من يشغّل الخادم: بلغة إعدادات النظام)
cli-first-admin = لم يكن هناك أي مستخدم، لذلك أُنشئ حساب لمسؤول النظام:
cli-email = البريد الإلكتروني
cli-one-time-password = كلمة مرور لمرة واحدة
cli-sign-in-at = سجّل الدخول على { $url } واختر كلمة مرور جديدة.
cli-shown-once = تظهر كلمة المرور هذه الآن فقط.
cli-user-created = أُنشئ الحساب: { $name } <{ $email }> ({ $role })، الرقم { $id }.
cli-admin-no-programme = يرى مسؤول النظام جميع البرامج: احذف --programme.
cli-invalid-user = بيانات المستخدم غير صالحة:
cli-password = كلمة المرور
cli-token-intro = مفتاح API للمستخدم { $email } («{ $label }»)؛ يظهر الآن فقط. أرسله بالشكل `Authorization: Bearer <token>`:
cli-no-such-user = لا يوجد مستخدم بالبريد الإلكتروني { $email }.
cli-user-deactivated = الحساب { $email } معطَّل.
error-idempotency-key-reused = استُخدم مفتاح Idempotency-Key هذا من قبل لطلب آخر.

## الصفحات الخاصة بأمهات الحي
join-title = اختاري كلمة المرور
join-intro = لديكِ رمز من المنسق/ة (أو رابط أو رمز QR يحتويه). بهذا الرمز تختارين كلمة المرور للتطبيق على هذا الهاتف، وبعد ذلك تسجّلين الدخول باسم تسجيل الدخول الخاص بكِ وبكلمة المرور هذه.
field-invitation-code = رمزكِ
join-action = حفظ كلمة المرور وتسجيل الدخول
error-invitation-invalid = هذا الرمز غير صالح: ربما كُتب بشكل خاطئ، أو استُخدم من قبل، أو انتهت صلاحيته. اطلبي رمزًا جديدًا من المنسق/ة.
error-family-not-in-caseload = اختاري إحدى أسركِ، أو تواصلًا مجهول الهوية.
nav-my = صفحتي
nav-my-contact = تسجيل تواصل
my-greeting = مرحبًا، { $name }
my-log-contact = تسجيل تواصل
my-this-month = مرات التواصل هذا الشهر
my-families = أسركِ
my-no-families = لا توجد أسر بعد: يضيفها المنسق/ة. التواصل دون أسرة يُسجَّل كتواصل مجهول الهوية.
my-last-visit = آخر زيارة
my-never-visited = لا توجد زيارة بعد
my-next-steps = خطواتكِ التالية
my-referrals = الإحالات المفتوحة
my-courses = دوراتكِ التدريبية
my-attended = الوحدات: { $attended } من أصل { $modules }
my-who = مع مَن؟
my-anonymous = امرأة مجهولة الهوية
my-next-step = ماذا سيحدث بعد ذلك؟ (اختياري)
flash-contact-saved = تم حفظ التواصل.
my-invite = دعوة إلى صفحاتها الخاصة
my-invite-again = رمز جديد لصفحاتها الخاصة
my-invite-hint = تسجّل تواصلها مع الأسر على هاتفها، بلغتها. الدعوة تُنشئ رمزًا لمرة واحدة تختار به كلمة المرور الخاصة بها؛ والرمز الجديد يحلّ محل القديم.
my-end-sessions = تسجيل الخروج من هاتفها
flash-mother-signed-out = تم تسجيل خروج «{ $name }» من جميع الهواتف.
error-invite-mother-left = لا يمكن دعوة { $worker } هذه، لأنها غادرت.
my-invitation-title = دعوة موجّهة إلى { $name }
my-invitation-intro = أعطها هذا الرمز، أو دعها تفتح الرابط أو تمسح رمز QR بهاتفها. به تختار كلمة المرور الخاصة بها؛ ويعمل مرة واحدة فقط، حتى { $date }.
my-invitation-code = الرمز
my-invitation-link = الرابط
my-invitation-sign-in = اسم تسجيل الدخول الخاص بها
my-invitation-print = اطبع هذه الصفحة أو اعرضها على شاشتك؛ لن يظهر الرمز مرة أخرى.
my-has-account = لها صفحاتها الخاصة: تسجّل الدخول باسم { $email }.
cli-mother-required = مع --role mother أضف --mother ورقم سجلّها.
cli-no-such-mother = لا توجد { $worker } بالرقم { $id }.
cli-mother-invited = الدعوة: الرمز { $code }، اسم تسجيل الدخول { $email }، صالحة حتى { $date }. تفتح على هاتفها عنوان الخادم متبوعًا بـ { $path } (أو تكتب الرمز في /join) وتختار كلمة المرور. يظهر الرمز الآن فقط.
home-awaiting-review = حالات تواصل سجّلتها { $workers } بأنفسهن وتنتظر مراجعتك
visit-awaiting-review = سجّلتها { $worker } بنفسها: تنتظر المراجعة.
visit-reviewed-on = سجّلتها { $worker } بنفسها؛ رُوجعت في { $date }.
action-mark-reviewed = تعليم كمُراجَعة
flash-visit-reviewed = عُلّمت الزيارة كمُراجَعة.
field-confirm-duplicate = زيارة أخرى
my-outbox-title = بانتظار الإرسال
my-outbox-waiting = محفوظ على هذا الهاتف، يُرسل عند توفر الإشارة
my-outbox-refused = لم يُقبل: يُرجى تسجيل هذا التواصل مرة أخرى
my-saved-offline = لا توجد إشارة: حُفظ تواصلكِ على هذا الهاتف وسيُرسل فور توفر الإشارة.
my-not-taken = لم يُسجَّل بعد
field-contact-origins = كيف بدأ التواصل (خيارات استمارة المحادثة)
hint-contact-origins = خيار واحد في كل سطر، مثل «عبر معارفها الشخصية» أو «في فعالية» أو «بإحالة من المدرسة». إذا تُرك الحقل فارغًا لا تسأل الاستمارة عن ذلك.
field-anonymous-by-default = تبدأ استمارة المحادثة بتواصل مجهول الهوية
error-origins-too-many = 20 خيارًا على الأكثر.
error-origin-unknown = اختر أحد خيارات البرنامج.
my-next-visit = الزيارة القادمة
my-recent = آخر حالات تواصلكِ

## الخصوصية: سجل الاطلاع، والتصدير، وحذف البيانات، والموافقة، ومدة الاحتفاظ، وسجل أنشطة المعالجة
access-log-title = سجل الاطلاع
access-log-intro = كل مرة فتح فيها أحدٌ بيانات شخص ما (اسم الأسرة أو عنوانها أو هاتفها، وملاحظات الزيارات؛ واسم { $worker } أو هاتفها أو بريدها الإلكتروني)، في صفحة أو عبر API أو في ملف تصدير.
access-log-user-id = رقم المستخدم
access-log-count = { $count ->
    [zero] لا توجد عمليات اطلاع
    [one] عملية اطلاع واحدة
    [two] عمليتا اطلاع
    [few] { $count } عمليات اطلاع
    [many] { $count } عملية اطلاع
   *[other] { $count } عملية اطلاع
}
access-log-empty = لم يطّلع أحد على هذه البيانات بعد.
access-log-fields = البيانات المعروضة
access-log-channel = طريقة الاطلاع
access-field-name = الاسم
access-field-address = العنوان
access-field-phone = الهاتف
access-field-visit-notes = ملاحظات الزيارات
access-field-full-name = الاسم
access-field-email = البريد الإلكتروني
access-field-note = ملاحظة
access-channel-page = صفحة
access-channel-api = API
access-channel-export = تصدير
export-title = كل البيانات المحفوظة
export-intro = كل ما يحتفظ به هذا البرنامج عن هذا الشخص: السجل، والزيارات وملاحظاتها، والتدريب والدفعات، ومن اطّلع على البيانات. اطبع هذه الصفحة أو نزّلها بصيغة JSON للرد على طلب الاطلاع على البيانات.
export-json = تنزيل بصيغة JSON
export-record = السجل
export-account = الحساب الخاص
export-payments = الدفعات
export-visit-count = { $count ->
    [zero] لا توجد زيارات قامت بها
    [one] زيارة واحدة قامت بها
    [two] زيارتان قامت بهما
    [few] { $count } زيارات قامت بها
    [many] { $count } زيارة قامت بها
   *[other] { $count } زيارة قامت بها
}
consent-title = الموافقة
consent-contact = حفظ بيانات الاتصال
consent-visits = تسجيل الزيارات
consent-referrals = مشاركة معلومات الإحالة
consent-given-on = أُعطيت في { $date }
consent-withdrawn-on = سُحبت في { $date }
consent-yes = نعم
consent-no = لا
consent-withdraw-which = سحب الموافقة على
consent-withdraw-hint = ما كانت تشمله الموافقة المسحوبة يُحذف فورًا: بيانات الاتصال، وملاحظات الزيارات وخطواتها التالية، وملاحظات الإحالات. أما الزيارات نفسها فتبقى محتسبة، من دون هذه البيانات.
action-withdraw-consent = سحب الموافقة
error-consent-date = يرجى إدخال تاريخ الموافقة.
error-no-contact-consent = إذا لم تكن هناك موافقة على حفظ بيانات الاتصال، فاترك هذا الحقل فارغًا.
privacy-title = الخصوصية
privacy-link = الخصوصية والموافقة
privacy-erased = حُذفت البيانات الشخصية لهذا السجل. يبقى السجل من دونها، حتى تبقى الأرقام المنشورة من قبل كما هي.
privacy-erase = حذف البيانات الشخصية
privacy-erase-family-hint = يحذف الاسم والعنوان والهاتف، وكل ملاحظة وخطوة تالية في زيارات الأسرة وإحالاتها. تبقى الأسرة رمزًا مرجعيًا وتبقى زياراتها محتسبة. لا يمكن التراجع عن ذلك.
privacy-erase-mother-hint = يحذف اسمها (ويبقى رقمها) وهاتفها وبريدها الإلكتروني وملاحظاتها، والأسباب المذكورة في سجلها، ويغلق حسابها الخاص. يبقى تدريبها وزياراتها ودفعاتها محتسبة. لا يمكن التراجع عن ذلك.
erasure-reason-request = طلب الشخص ذلك
erasure-reason-consent-withdrawn = سُحبت الموافقة
erasure-reason-no-longer-needed = لم تعد هناك حاجة إليها
erasure-reason-retention = انتهت مدة الاحتفاظ
action-erase = حذف البيانات الشخصية
error-already-erased = حُذفت هذه البيانات من قبل.
flash-already-erased = كانت هذه البيانات محذوفة من قبل.
flash-family-erased = حُذفت البيانات الشخصية للأسرة { $name }.
flash-mother-erased = حُذفت البيانات الشخصية؛ أصبح اسم السجل الآن { $name }.
flash-consent-withdrawn = سُحبت موافقة الأسرة { $name }؛ وحُذف ما كانت تشمله.
history-action-erase = حُذفت البيانات الشخصية
history-action-withdraw-consent = سُحبت الموافقة
retention-title = مدة الاحتفاظ
retention-intro = تُحذف البيانات الشخصية للأسر المغلقة ملفاتها ولمن غادرن من { $workers } عند انتهاء مدة الاحتفاظ في البرنامج. أدناه: من حان موعد حذف بياناتهم الآن، ومن سيحين موعده خلال الأيام الثلاثين القادمة. يتم الحذف تلقائيًا كل يوم.
retention-months = { $count ->
    [zero] يُحتفظ بها { $count } شهر
    [one] يُحتفظ بها شهرًا واحدًا
    [two] يُحتفظ بها شهرين
    [few] يُحتفظ بها { $count } أشهر
    [many] يُحتفظ بها { $count } شهرًا
   *[other] يُحتفظ بها { $count } شهر
}
retention-none = يُحتفظ بها حتى تُحذف يدويًا
retention-empty = لا يحين موعد أي حذف خلال الأيام الثلاثين القادمة.
retention-since = منذ
retention-since-family = أُغلق الملف
retention-since-mother = غادرت
retention-due-on = تاريخ الحذف
retention-due-now = حان موعد الحذف
field-retention-months = مدة الاحتفاظ بالبيانات الشخصية (بالأشهر)
hint-retention-months = المدة التي يُحتفظ فيها بالبيانات الشخصية للأسر المغلقة ملفاتها ولمن غادرن من { $workers }، مثل 24. إذا تُرك فارغًا: حتى تُحذف يدويًا.
error-retention-months = يرجى إدخال عدد أشهر من 1 إلى 240، أو ترك الحقل فارغًا.
field-consent-phone-contact = يمكن التواصل معها هاتفيًا
field-consent-photos = يمكن التقاط صور لها واستخدامها
record-title = سجل أنشطة المعالجة
record-link = سجل أنشطة المعالجة
record-intro = ما البيانات الشخصية التي يحتفظ بها هذا البرنامج، وعمّن، ولماذا، ومن يمكنه رؤيتها، وما مدة الاحتفاظ بها. مأخوذ من إعدادات البرنامج نفسه وقواعد الأدوار فيه.
record-controller = البرنامج
record-retention = مدة الاحتفاظ
record-retention-months = { $count ->
    [zero] البيانات الشخصية للأسر المغلقة ملفاتها ولمن غادرن من { $workers }: { $count } شهر، ثم تُحذف.
    [one] البيانات الشخصية للأسر المغلقة ملفاتها ولمن غادرن من { $workers }: شهر واحد، ثم تُحذف.
    [two] البيانات الشخصية للأسر المغلقة ملفاتها ولمن غادرن من { $workers }: شهران، ثم تُحذف.
    [few] البيانات الشخصية للأسر المغلقة ملفاتها ولمن غادرن من { $workers }: { $count } أشهر، ثم تُحذف.
    [many] البيانات الشخصية للأسر المغلقة ملفاتها ولمن غادرن من { $workers }: { $count } شهرًا، ثم تُحذف.
   *[other] البيانات الشخصية للأسر المغلقة ملفاتها ولمن غادرن من { $workers }: { $count } شهر، ثم تُحذف.
}
record-retention-none = حتى تُحذف يدويًا (لم تُحدَّد مدة احتفاظ).
record-storage = مكان الحفظ
record-storage-text = في قاعدة بيانات PostgreSQL الخاصة بهذا التطبيق، على الخادم الذي يشغّله؛ وفي نسخها الاحتياطية إلى أن تنتهي صلاحيتها.
record-data = البيانات
record-subjects = عمّن
record-purpose = الغرض
record-who = من يمكنه رؤيتها
record-own = { $worker } نفسها (بياناتها الخاصة فقط)
record-rights = يحق لكل شخص أن يطلب كل ما يُحتفظ به عنه (صفحة «كل البيانات المحفوظة») وأن يطلب حذفه؛ وكل اطلاع على البيانات الشخصية مسجَّل في سجل الاطلاع.
record-family-contact-data = الاسم، العنوان، الهاتف
record-family-contact-subjects = الأسر التي تتم زيارتها
record-family-contact-purpose = للتواصل مع الأسرة من أجل الزيارات
record-family-record-data = الرمز المرجعي، الحي، اللغات، عدد الأطفال وسنوات ميلادهم، كيف بدأ التواصل، الموافقة
record-family-record-subjects = الأسر التي تتم زيارتها
record-family-record-purpose = لتخطيط الزيارات وإحصاء العمل
record-visits-data = تواريخ الزيارات ونوعها ومدتها، المواضيع، الإحالات، الخطوات التالية
record-visits-subjects = الأسر التي تتم زيارتها
record-visits-purpose = لمتابعة كل أسرة وإعداد التقارير عن العمل
record-visit-notes-data = ملاحظات الزيارات والإحالات
record-visit-notes-subjects = الأسر التي تتم زيارتها
record-visit-notes-purpose = لمتابعة كل أسرة
record-mothers-data = الاسم، الهاتف، البريد الإلكتروني، اللغات، بلد الأصل، الجنس، الحالة، المكافأة
record-mothers-subjects = { $workers } في البرنامج
record-mothers-purpose = لتنظيم العمل والتدريب
record-training-data = الدورات التدريبية، الحضور، إتمام الدورات
record-training-subjects = { $workers } في البرنامج
record-training-purpose = لاعتماد التدريب ومنح الشهادات
record-payments-data = دفعات المكافآت
record-payments-subjects = { $workers } في البرنامج
record-payments-purpose = لدفع المكافآت وتقديم حساب عن التمويل
record-accounts-data = البريد الإلكتروني والاسم وأوقات تسجيل الدخول للحسابات
record-accounts-subjects = الموظفون، ومن لهن حساب خاص من { $workers }
record-accounts-purpose = لتسجيل الدخول بأمان
record-logs-data = سجل التغييرات (من غيّر ماذا) وسجل الاطلاع (من اطّلع على ماذا)، من دون القيم الشخصية نفسها
record-logs-subjects = كل من سبق ذكرهم
record-logs-purpose = المساءلة
family-counts = الزيارات
family-counts-hint = الزيارات والإحالات مخصصة للمنسقين؛ هنا عددها فقط.
family-visit-count = { $count ->
    [zero] لا توجد زيارات
    [one] زيارة واحدة
    [two] زيارتان
    [few] { $count } زيارات
    [many] { $count } زيارة
   *[other] { $count } زيارة
}
cli-retention-family = الأسرة { $label } ({ $programme }): أُغلق الملف في { $since }، مدة الاحتفاظ { $count } شهرًا.
cli-retention-mother = { $Worker } { $label } ({ $programme }): غادرت في { $since }، مدة الاحتفاظ { $count } شهرًا.
cli-retention-dry-run = { $count ->
    [zero] لا أحد مستحق؛ لم يُحذف شيء (شغّل الأمر مع ‎--apply للحذف).
    [one] شخص واحد مستحق؛ لم يُحذف شيء (شغّل الأمر مع ‎--apply للحذف).
    [two] شخصان مستحقان؛ لم يُحذف شيء (شغّل الأمر مع ‎--apply للحذف).
    [few] { $count } أشخاص مستحقون؛ لم يُحذف شيء (شغّل الأمر مع ‎--apply للحذف).
    [many] { $count } شخصًا مستحقون؛ لم يُحذف شيء (شغّل الأمر مع ‎--apply للحذف).
   *[other] { $count } شخص مستحقون؛ لم يُحذف شيء (شغّل الأمر مع ‎--apply للحذف).
}
cli-retention-erased = { $count ->
    [zero] لم تُحذف بيانات شخصية لأحد.
    [one] حُذفت البيانات الشخصية لشخص واحد.
    [two] حُذفت البيانات الشخصية لشخصين.
    [few] حُذفت البيانات الشخصية لـ { $count } أشخاص.
    [many] حُذفت البيانات الشخصية لـ { $count } شخصًا.
   *[other] حُذفت البيانات الشخصية لـ { $count } شخص.
}
field-scopes = سحب الموافقة على
error-tick-one = اختر خيارًا واحدًا على الأقل.
history-field-grounds = السبب
history-field-erased = ما حُذف
history-field-withdrawn-on = تاريخ السحب
history-field-consent-contact = الموافقة: حفظ بيانات الاتصال
history-field-consent-visits = الموافقة: تسجيل الزيارات
history-field-consent-referrals = الموافقة: مشاركة معلومات الإحالة
history-field-retention-months = مدة الاحتفاظ (بالأشهر)

## الاستيراد من جداول البيانات
nav-imports = استيراد
import-title = الاستيراد من جدول بيانات
import-intro = استورد السجلات السابقة لأحد البرامج من ملف CSV أو Excel (XLSX): صف واحد لكل زيارة أو لكل واحدة من { $workers }، مع صف للعناوين في البداية. يُفحص كل صف أولًا؛ وإذا رُفض أي صف، لا يُحفظ شيء. إعادة استيراد الملف نفسه لا تغيّر شيئًا، والملف المصحَّح يحدّث الصفوف التي يذكرها (بحسب مرجع كل صف).
import-kind = محتوى الملف
import-kind-visits = الزيارات
import-kind-mothers = { $workers }
import-kind-families = الأسر
import-kind-events = الفعاليات
import-kind-expenses = النفقات
import-file = الملف
import-file-hint = CSV (مفصول بفاصلة أو فاصلة منقوطة أو علامة جدولة) أو XLSX؛ عناوين الأعمدة بالإنجليزية أو الألمانية أو الدنماركية.
import-dry-run = الفحص فقط، دون حفظ أي شيء
action-import = استيراد
import-refused = لم يتم الاستيراد: بعض الصفوف تحتاج إلى تصحيح
import-checked = تم الفحص: يمكن استيراد الملف
import-done = تم الاستيراد
import-rows = { $count ->
    [zero] لا توجد صفوف
    [one] صف واحد
    [two] صفان
    [few] { $count } صفوف
    [many] { $count } صفًا
   *[other] { $count } صف
}
import-created = جديدة: { $count }
import-updated = محدَّثة: { $count }
import-unchanged = دون تغيير: { $count }
import-row = الصف
import-column = العمود
import-message = المشكلة
import-templates = ملفات فارغة للتعبئة
import-columns-hint = المواضيع والإحالات: يُفصل بين أكثر من واحد بعلامة «;»، ويُذكر كل منها باسمه أو بمفتاحه. تُذكر { $worker } برقمها أو باسمها الدقيق؛ والأسرة برمزها المرجعي أو بالمرجع الذي استُوردت به، أو يُترك الحقل فارغًا في حالة تواصل مجهول الهوية.
error-import-unreadable = تعذّرت قراءة الملف: { $reason }
error-import-columns = الأعمدة التالية غير موجودة في الملف: { $columns }.
error-import-mother-unknown = لا توجد في هذا البرنامج { $worker } بهذا الرقم أو بهذا الاسم.
error-import-unknown-value = «{ $value }» ليست من الخيارات المتاحة.
error-import-reference = يرجى إعطاء كل صف مرجعًا لا يتجاوز 100 حرف.
error-import-reference-twice = هذا المرجع مستخدم في صف سابق من الملف.
error-import-no-file = يرجى اختيار ملف.
error-too-large = الملف كبير جدًا.
cli-import-kind = لا يمكن استيراد «{ $kind }»: اختر visits أو mothers أو families أو events أو expenses.
cli-import-row-error = الصف { $row }، { $column }: { $message }
cli-import-refused = لم يُستورد شيء: عدد الصفوف التي تحتاج إلى تصحيح { $errors } (عدد الصفوف المقروءة { $rows }).
cli-import-checked = عدد الصفوف المفحوصة: { $rows } (جديدة: { $created }، محدَّثة: { $updated }، دون تغيير: { $unchanged }). لم يُحفظ شيء (‎--dry-run).
cli-import-done = عدد الصفوف المستوردة: { $rows } (جديدة: { $created }، محدَّثة: { $updated }، دون تغيير: { $unchanged }).
error-enrolment-unknown = لا يوجد تسجيل في هذه الدورة بهذا الرقم.
error-bulk-items = لم يُحفظ شيء: بعض العناصر غير صالحة (انظر items).

## A programme's own referral services and kinds of event
services-title = خدمات الإحالة
services-intro = الخدمات المعروضة للإحالات في استمارة الزيارة. الخدمة الموقوفة لا تُعرض بعد ذلك، لكنها تبقى في الإحالات السابقة وفي التقارير.
services-new = خدمة جديدة
event-kinds-title = أنواع الفعاليات
event-kinds-intro = الأنواع المعروضة في استمارة الفعالية. النوع الموقوف لا يُعرض بعد ذلك، لكنه يبقى في الفعاليات السابقة.
event-kinds-new = نوع فعالية جديد
flash-service-created = تمت إضافة الخدمة «{ $name }».
flash-service-renamed = تمت إعادة تسمية الخدمة «{ $name }».
flash-service-retired = تم إيقاف استخدام الخدمة «{ $name }».
flash-service-restored = أصبحت الخدمة «{ $name }» متاحة مرة أخرى.
flash-event-kind-created = تمت إضافة نوع الفعالية «{ $name }».
flash-event-kind-renamed = تمت إعادة تسمية نوع الفعالية «{ $name }».
flash-event-kind-retired = تم إيقاف استخدام نوع الفعالية «{ $name }».
flash-event-kind-restored = أصبح نوع الفعالية «{ $name }» متاحًا مرة أخرى.
error-service-taken = هذه الخدمة موجودة بالفعل في البرنامج.
error-event-kind-taken = نوع الفعالية هذا موجود بالفعل في البرنامج.
error-event-kind-unknown = يرجى اختيار نوع فعالية من أنواع فعاليات البرنامج.
error-service-default = لا يمكن تغيير الخدمات الافتراضية.
error-event-kind-default = لا يمكن تغيير أنواع الفعاليات الافتراضية.
entity-service = خدمة إحالة
entity-event-kind = نوع فعالية

## A funder report's training
grant-report-training = التدريب المقدَّم
grant-training-modules = الوحدات المنعقدة (ساعات)
grant-training-interpreted = وحدات بحضور مترجم (ساعات)
grant-training-languages = الترجمة إلى (وحدات)
def-grant-training = وحدات دورات البرنامج التي انعقدت خلال فترة المنحة، مع ساعاتها؛ التدريب تابع للبرنامج، لذلك تعرضه المنحة المقتصرة على أحياء معينة كاملًا.

## A programme's visit plan
plan-progress = خطة الزيارات: الزيارة { $done } من { $of }
plan-next = التالية: { $topics }
plan-complete = اكتملت الخطة
error-plan-topics = يرجى إعطاء الزيارة { $number } من الخطة موضوعًا واحدًا على الأقل من مواضيع زيارات البرنامج.
error-plan-too-long = تضم خطة الزيارات { $max } زيارة على الأكثر.
entity-visit-plan = خطة الزيارات
report-plan = خطة الزيارات
report-plan-visits = خطة من { $count } زيارات
report-plan-completed = الأسر التي أكملتها
report-plan-median = الوقت الوسيط
report-plan-stopped-after = أُغلقت قبل إكمالها، بعد الزيارة
report-plan-families = الأسر
unit-days = { $count } يوم
def-plan = أكملتها: الأسر التي وقعت زيارتها المخططة الأخيرة في السنة؛ وتُحسب المدة من زيارتها الأولى حتى تلك الزيارة. أُغلقت قبل إكمالها: الأسر التي أُغلقت في السنة بعدد زيارات أقل مما في الخطة، حسب عدد زياراتها.
plan-title = خطة الزيارات
plan-intro = الزيارات التي تُبنى كل منها على سابقتها، ولكل منها المواضيع المخطط لها. تعرض صفحة الأسرة الزيارة التي وصلت إليها وما يليها.
plan-none = لا توجد خطة زيارات لهذا البرنامج بعد.
plan-visit = الزيارة { $number }
plan-note = الغرض من الزيارة (اختياري)
plan-add = إضافة زيارة
plan-remove = حذف الزيارة الأخيرة
flash-plan-saved = تم حفظ خطة الزيارات: { $name } زيارات.
plan-not-started = خطة من { $of } زيارات: لم تبدأ بعد

## سجل المشاركين وشراكات الاندماج
register-title = سجل المشاركين
register-intro = الأشخاص الذين يشاركون في الفعاليات، كلٌّ منهم تحت رمز يختاره البرنامج (وليس اسمًا أبدًا)، محليون أو من خلفية مهاجرة، مع بلد الأصل والفئة العمرية. عند وجود سجل، تَعُدّ التقارير الأشخاص دون تكرار بدلًا من جمع المشاركين في كل فعالية.
register-people = المشاركون
register-empty = لا يوجد مشاركون مسجلون بعد.
register-add = تسجيل مشارك
register-code-hint = رمز قصير من اختيارك، مثل D-017، وليس اسمًا أبدًا.
register-partnerships = شراكات الاندماج
register-partnerships-intro = مشارك محلي ومشارك من خلفية مهاجرة يلتقيان بانتظام لفترة من الزمن.
register-partnerships-empty = لا توجد شراكات بعد.
register-pair = ربط مشاركَين في شراكة
register-end = إنهاء
participant-origin-local = محلي
participant-origin-migrant = من خلفية مهاجرة
age-band-under-18 = أقل من 18
age-band-18-29 = 18–29
age-band-30-44 = 30–44
age-band-45-64 = 45–64
age-band-65-plus = 65 فأكثر
field-code = الرمز
field-origin = الأصل
field-age-band = الفئة العمرية
field-started-on = تاريخ البدء
field-ended-on = تاريخ الانتهاء
field-actions = الإجراءات
field-local-id = المشارك المحلي
field-migrant-id = المشارك من خلفية مهاجرة
field-participant-ids = المشاركون
entity-participant = مشارك
entity-partnership = شراكة
error-participant-code-taken = يوجد في هذا البرنامج مشارك بهذا الرمز.
error-participant-unknown = يرجى اختيار مشاركين من سجل برنامج هذه الفعالية.
error-partnership-local = يرجى اختيار مشارك محلي من سجل هذا البرنامج.
error-partnership-migrant = يرجى اختيار مشارك من خلفية مهاجرة من سجل هذا البرنامج.
attendance-intro = يرجى تحديد المشاركين المسجلين الذين حضروا. وتُحسب بعد ذلك أعداد المشاركين المحليين والمهاجرين في الفعالية وفق هذه القائمة.
flash-participant-added = تم تسجيل المشارك { $name }.
flash-participant-removed = تمت إزالة المشارك { $name }.
flash-partnership-added = تم تسجيل الشراكة ابتداءً من { $name }.
flash-partnership-ended = تم إنهاء الشراكة في { $name }.
flash-partnership-removed = تمت إزالة الشراكة.
flash-event-attendance-saved = تم حفظ الحضور. عدد المشاركين: { $name }.
report-register = سجل المشاركين
report-register-people = الأشخاص دون تكرار
report-register-countries = بلدان الأصل
report-register-partnerships = شراكات الاندماج
report-register-started = بدأ منها خلال الفترة: { $count }
report-not-recorded = غير مسجَّل
def-register = الأشخاص دون تكرار: المشاركون المسجلون الذين حضروا فعالية واحدة على الأقل خلال الفترة، ويُحسب كل منهم مرة واحدة مهما كان عدد الفعاليات التي حضرها. الشراكات: تلك التي استمرت يومًا واحدًا على الأقل ضمن الفترة.

## الأثر: استبيانات قبل العمل وبعده
questionnaires-title = الاستبيانات
questionnaires-intro = تقيس الاستبيانات ما يتغيّر: الأسئلة نفسها قبل العمل وبعده. تجيب { $workers } في الوحدة التمهيدية وفي الوحدة الأخيرة من تدريبهن، وتجيب الأسر في الزيارة الأولى والزيارة العاشرة. يعرض التقرير السنوي، لكل سؤال ولكل هدف، عدد من أجابوا ونسبة من تحسّنت إجاباتهم.
questionnaires-empty = لا توجد استبيانات في هذا البرنامج بعد.
questionnaire-items = { $count ->
    [zero] لا توجد أسئلة
    [one] سؤال واحد
    [two] سؤالان
    [few] { $count } أسئلة
    [many] { $count } سؤالًا
   *[other] { $count } سؤال
}
questionnaire-ready-made-hint = الاستبيان الجاهز المبني على أهداف التقييم الدنماركية: المعرفة برفاه الأطفال وبالصحة والمدارس؛ والارتباط بشبكة علاقات؛ ووضوح الرؤية بشأن التعليم والعمل؛ ونقل المعرفة إلى الآخرين. متوفر باللغات الخمس كلها.
questionnaire-add-ready-made = إضافة الاستبيان الجاهز
questionnaire-new = استبيان من إعدادكم
questionnaire-items-hint = سؤال واحد في كل سطر، يُجاب عنه على مقياس من 1 (لا على الإطلاق) إلى 5 (تمامًا). لسؤال اختيار من متعدد، اكتبي الخيارات في السطر نفسه بعد السؤال، كل خيار بعد العلامة |. مثال: ماذا تفعلين حاليًا؟ | أعمل | أنا في البيت
questionnaire-enter = إدخال الإجابات
questionnaire-responses = الإجابات المقدَّمة
questionnaire-no-responses = لا توجد إجابات بعد.
questionnaire-answered = الأسئلة المُجاب عنها
questionnaire-subject-mother = { $workers } قيد التدريب
questionnaire-subject-family = الأسر التي تمت زيارتها
questionnaire-person-mother = { $worker }
questionnaire-person-family = الأسرة
point-intake = البداية (الوحدة التمهيدية)
point-evaluation = التقييم (الوحدة الأخيرة)
point-first-visit = الزيارة الأولى
point-tenth-visit = الزيارة العاشرة
item-kind-scale = مقياس من 1 إلى 5
item-kind-choice = اختيار من متعدد
scale-1 = 1 – لا على الإطلاق
scale-2 = 2
scale-3 = 3
scale-4 = 4
scale-5 = 5 – تمامًا
field-subject = مَن يجيب
field-questionnaire-subject = مَن يجيب
field-items = الأسئلة
field-template = الاستبيان الجاهز
field-point = متى
field-answered-on = تاريخ الإجابة
field-answers = الإجابات
entity-questionnaire = استبيان
entity-questionnaire-response = إجابات على استبيان
error-questionnaire-items = يرجى إدخال عدد من الأسئلة من 1 إلى { $max }.
error-questionnaire-item = السؤال { $number } غير مكتمل: يرجى إدخال نصه، وفي سؤال الاختيار من متعدد خيارين على الأقل، لكل خيار مفتاح قصير من أحرف لاتينية صغيرة أو أرقام أو _.
error-questionnaire-answered = لهذا الاستبيان إجابات بالفعل: لم يعد من الممكن تغيير مَن يجيب عنه.
error-questionnaire-answered-item = للسؤال «{ $item }» إجابات بالفعل: يرجى الإبقاء عليه بنوعه وبالخيارات التي اختيرت.
error-questionnaire-has-answers = لهذا الاستبيان إجابات: يرجى إيقاف استخدامه بدلًا من ذلك، وستبقى إجاباته في التقارير.
error-questionnaire-retired = هذا الاستبيان موقوف ولا يقبل إجابات جديدة.
error-answer-unknown-item = إحدى الإجابات تشير إلى سؤال غير موجود في هذا الاستبيان.
error-answer-invalid = الإجابة عن «{ $item }» ليست من الخيارات المتاحة لهذا السؤال (من 1 إلى 5 في سؤال المقياس).
error-answers-none = يرجى الإجابة عن سؤال واحد على الأقل.
flash-questionnaire-created = تمت إضافة الاستبيان «{ $name }».
flash-questionnaire-retired = تم إيقاف استخدام الاستبيان «{ $name }».
flash-questionnaire-restored = تمت استعادة الاستبيان «{ $name }».
flash-answers-saved = حُفظت الإجابات: { $name }.
my-questionnaires = الاستبيانات
my-questionnaires-intro = بضعة أسئلة في بداية تدريبكِ وفي نهايته. لا توجد إجابات صحيحة أو خاطئة: فهي تساعد البرنامج على معرفة ما يغيّره التدريب.
my-questionnaires-none = لا يوجد استبيان لكِ في الوقت الحالي.
my-answered = تمت الإجابة
my-not-answered = ليس بعد
my-questionnaire-hint = اختاري لكل جملة مدى انطباقها عليكِ، من 1 (لا على الإطلاق) إلى 5 (تمامًا). يمكنكِ ترك أي سؤال دون إجابة.
report-outcomes = الأثر
report-outcomes-paired = أجابوا قبل وبعد
report-outcomes-goal = الهدف
report-outcomes-item = السؤال
report-outcomes-improved = تحسّنوا
def-outcomes = قبل وبعد: الإجابات المقدَّمة في كل موعد قياس ضمن الفترة. n: الإجابات اللاحقة المقدَّمة ضمن الفترة من أشخاص أجابوا عن السؤال نفسه من قبل (في أي تاريخ). تحسّنوا: من بين هؤلاء، نسبة من كانت إجابتهم اللاحقة أعلى من السابقة؛ وبالنسبة إلى الهدف، تُحسب على أسئلة المقياس التابعة له.

## ملف الممارسة الجيدة
profile-title = ملف الممارسة الجيدة
profile-choose = يرجى اختيار برنامج وسنة: يملأ الملف قالب مجموعتَي Intercultural Cities وCities of Migration بنصوص البرنامج نفسه وأرقام تلك السنة.
profile-since = منذ { $date }
profile-year = أرقام سنة { $year }
profile-text-missing = لم يُكتب بعد: تُدخَل نصوص البرنامج في استمارة الملف الخاصة به.
profile-goal = الهدف
profile-approach = آلية العمل
profile-beneficiaries = المستفيدون
profile-evaluation = التقييم
profile-hint-goal = ما يريد البرنامج تحقيقه، في جملتين أو ثلاث.
profile-hint-approach = آلية العمل: من هنّ { $workers }، وكيف يُدرَّبن، وكيف يصلن إلى الأسر ويزرنها، ومن هم الشركاء.
profile-hint-beneficiaries = المستفيدون: الأسر، وكذلك { $workers } أنفسهن، والحي، والخدمات العامة.
profile-hint-evaluation = كيف يُقيَّم العمل، ومن يقيّمه، وما الدروس المستفادة. ويُضاف تحته الأثر الذي قيس بالاستبيانات.
profile-results = النتائج
profile-top-topics = المواضيع الأكثر نقاشًا
profile-districts = الزيارات حسب الحي
profile-funding = التمويل والموارد
profile-resources = الموارد
profile-fewer-than-5 = أقل من 5
profile-suppressed = الأرقام المنشورة: أي عدد للأشخاص أو لحيّ ما يتراوح بين 1 و4 يظهر بالشكل «أقل من 5»، حتى لا يمكن التعرّف على أي أسرة.
profile-download-markdown = تنزيل بصيغة Markdown
profile-download-html = تنزيل بصيغة HTML
profile-edit-texts = نصوص البرنامج
profile-texts-title = نصوص ملف الممارسة الجيدة
profile-texts-intro = يأخذ الملف أرقامه من السجلات؛ أما هذه النصوص فتقول ما لا تستطيع الأرقام قوله. يرجى الفصل بين الفقرات بسطر فارغ.
field-goal = الهدف
field-approach = آلية العمل
field-beneficiaries = المستفيدون
field-evaluation = التقييم
entity-programme-profile = نصوص ملف الممارسة الجيدة
flash-profile-saved = تم حفظ نصوص الملف.
record-outcomes-data = الإجابات على الاستبيانات (من 1 إلى 5 أو أحد الخيارات) عند البداية والتقييم، أو في الزيارة الأولى والعاشرة للعائلة
record-outcomes-subjects = { $workers } في البرنامج والعائلات التي تمت زيارتها
record-outcomes-purpose = لقياس ما يغيّره العمل (قبل وبعد)
record-participants-data = رمز، محلي أو من خلفية مهاجرة، بلد الأصل، الفئة العمرية، الفعاليات التي حضرها، الشراكات
record-participants-subjects = الأشخاص الذين يشاركون في الفعاليات
record-participants-purpose = لعدّ المشاركين دون تكرار وشراكات الاندماج
my-questionnaire-answered-on = أجبتِ عن هذا في { $date }. الحفظ يغيّر هذه الإجابات.
flash-my-answers-saved = شكرًا لكِ! تم حفظ إجاباتك.
profile-plan-completed = العائلات التي أكملت خطة الزيارات
questionnaire-ready-made = استبيان جاهز
report-outcomes-before = قبل
report-outcomes-after = بعد
error-answers-before-locked = تبقى إجاباتك في البداية كما هي بعد أن أجبتِ في النهاية.
error-participant-paired = هذا المشارك في شراكة: تبقى خلفيته كما هي.
profile-other-districts = الأحياء الأخرى مجتمعة
account-security-title = أحدث الأحداث الأمنية
account-security-none = لا توجد عمليات دخول أو تغييرات بعد.
account-security-from = من العنوان
history-action-totp-on = تم تفعيل العامل الثاني
history-action-totp-off = تم إيقاف العامل الثاني
error-second-factor-required = يسجّل دورك الدخول بعامل ثانٍ. يُرجى إعداده أولاً.
error-totp-already-on = العامل الثاني مفعّل بالفعل.
error-totp-no-setup = ابدأ الإعداد أولاً.
error-totp-code-wrong = هذا الرمز غير صحيح (أو استُخدم من قبل). اكتب الأرقام الستة التي يعرضها تطبيقك الآن.
error-totp-required-for-role = يجب أن يسجّل دورك الدخول بعامل ثانٍ: لا يمكن إيقافه.
login-code-title = أدخل رمزك
hint-login-code = الأرقام الستة التي يعرضها تطبيق المصادقة لهذا الموقع، أو أحد رموز الاسترداد الخاصة بك.
login-code-back = ابدأ من جديد بعنوان البريد الإلكتروني وكلمة المرور
login-code-wrong = هذا الرمز غير صحيح. جرّب الرمز الذي يعرضه تطبيقك الآن.
second-factor-title = العامل الثاني
second-factor-required = يسجّل دورك الدخول بعامل ثانٍ. أعدّه الآن لتتابع.
second-factor-intro = مع العامل الثاني، يطلب تسجيل الدخول كلمة مرورك ورمزاً من تطبيق على هاتفك. من يعرف كلمة مرورك لا يستطيع مع ذلك تسجيل الدخول.
second-factor-step-app = ثبّت تطبيق مصادقة على هاتفك، مثل FreeOTP أو Aegis أو Google Authenticator أو Microsoft Authenticator.
second-factor-step-scan = أضف حساباً في التطبيق وامسح هذا الرمز.
second-factor-or-type = أو اكتب المفتاح:
second-factor-step-code = اكتب الأرقام الستة التي يعرضها التطبيق للتحقق من أنه يعمل.
hint-totp-code = ستة أرقام؛ يأتي رمز جديد كل 30 ثانية.
action-turn-on = تفعيل
second-factor-on = العامل الثاني مفعّل: يطلب تسجيل الدخول رمزاً من تطبيق المصادقة.
second-factor-codes-left = { $count ->
    [zero] لم يتبقَّ لديك أي رمز استرداد.
    [one] تبقّى لديك رمز استرداد واحد.
    [two] تبقّى لديك رمزا استرداد.
    [few] تبقّى لديك { $count } رموز استرداد.
   *[other] تبقّى لديك { $count } رمز استرداد.
}
second-factor-required-stays = يجب أن يسجّل دورك الدخول بعامل ثانٍ، لذا يبقى مفعّلاً.
second-factor-off-title = إيقاف العامل الثاني
action-turn-off = إيقاف
recovery-codes-title = رموز الاسترداد الخاصة بك
second-factor-turned-on = العامل الثاني مفعّل.
recovery-codes-intro = إذا فقدت هاتفك، يمكنك تسجيل الدخول بأحد هذه الرموز بدلاً من رمز التطبيق. كل رمز يعمل مرة واحدة. اطبعها أو اكتبها واحفظها في مكان آمن بعيداً عن هاتفك.
recovery-codes-once = تُعرض هذه الرموز الآن فقط.
action-continue = متابعة
second-factor-roles-title = العامل الثاني حسب الدور
second-factor-roles-default-network = يمكن الوصول إلى هذا الخادم من أجهزة أخرى: يجب أن يكون للمسؤولين والمديرين عامل ثانٍ ما لم تحدد غير ذلك هنا.
second-factor-roles-default-loopback = لا يمكن الوصول إلى هذا الخادم إلا من هذا الجهاز (تجربة): يُعرض العامل الثاني على الجميع ولا يُطلب من أحد ما لم تحدد غير ذلك هنا.
second-factor-roles-legend = هذه الأدوار تسجّل الدخول بعامل ثانٍ
second-factor-roles-as-default = كالإعداد الافتراضي
flash-totp-off = تم إيقاف العامل الثاني.
flash-second-factor-roles-saved = تم حفظ الأدوار التي يجب أن يكون لها عامل ثانٍ.
account-second-factor-on = مفعّل: يطلب تسجيل الدخول رمزاً من تطبيق المصادقة.
account-second-factor-off = غير مفعّل: يطلب تسجيل الدخول كلمة مرورك فقط.
action-manage-second-factor = إعداد العامل الثاني أو إدارته
entity-second_factor_roles = العامل الثاني حسب الدور
role-mother = { $worker }
error-password-locked = كلمات مرور خاطئة كثيرة جداً: حاول مرة أخرى بعد ربع ساعة.
families-count-more = أكثر من { $count } عائلة: اختر برنامجاً أو حالة لتضييق القائمة.
entity-data_key = مفتاح البيانات
history-action-rotate = تم تغيير مفتاح البيانات
cli-data-key-new = مفتاح بيانات جديد { $number } في { $file }. الانتظار { $count } ثانية حتى تعتمده الخوادم العاملة، ثم إعادة تشفير جميع البيانات الشخصية.
cli-data-key-rotated = { $count ->
    [one] مفتاح البيانات { $number } يشفّر الآن كل شيء: أُعيد تشفير قيمة واحدة. احرص على تحديث النسخة الاحتياطية من ملف المفتاح.
   *[other] مفتاح البيانات { $number } يشفّر الآن كل شيء: أُعيد تشفير { $count } قيمة. احرص على تحديث النسخة الاحتياطية من ملف المفتاح.
}
