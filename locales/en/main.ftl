# English: the reference language. Every user-facing string lives here.

## Layout
app-name = Neighbourhood Mothers
skip-to-content = Skip to content
nav-label = Main
nav-programmes = Programmes
nav-users = Users
nav-tokens = API tokens
nav-audit = Audit log
footer-text = Neighbourhood Mothers: the case manager for neighbourhood-mothers programmes.

## Flash messages ($name: the record's name)
flash-programme-created = Programme “{ $name }” created.
flash-programme-updated = Programme “{ $name }” saved.
flash-programme-archived = Programme “{ $name }” archived. Its records are kept.
flash-programme-restored = Programme “{ $name }” restored.
flash-programme-deleted = Programme “{ $name }” deleted.
flash-programme-has-data = Programme “{ $name }” holds data and cannot be deleted; archive it instead.
flash-district-created = District “{ $name }” added.
flash-district-updated = District “{ $name }” saved.
flash-district-archived = District “{ $name }” archived.
flash-district-restored = District “{ $name }” restored.
flash-signed-out = You have signed out.
flash-password-changed = Your password has been changed. Your other sessions have ended.
flash-language-changed = Your language setting has been saved.
flash-user-updated = User “{ $name }” saved.
flash-user-activated = User “{ $name }” can sign in again.
flash-user-deactivated = User “{ $name }” is deactivated and has been signed out everywhere.
flash-cannot-deactivate-self = You cannot deactivate your own account.
flash-token-revoked = Token “{ $name }” revoked.

## Actions
action-save = Save
action-cancel = Cancel
action-edit = Edit
action-rename = Rename
action-add = Add
action-archive = Archive
action-restore = Restore
action-delete = Delete
action-sign-in = Sign in
action-sign-out = Sign out
action-change-password = Change password
action-create-user = Create user and one-time password
action-reset-password = Reset password
action-deactivate = Deactivate
action-activate = Activate
action-create-token = Create token
action-revoke = Revoke
action-done = Done
action-filter = Filter
action-reset-filter = Clear filters

## Fields
field-name = Name
field-city = City
field-country = Country
field-currency = Currency
field-default-language = Default language
field-start-date = Start date
field-end-date = End date
field-description = Description
hint-country = Two-letter ISO code, e.g. DE, DK.
hint-currency = Three-letter ISO code, e.g. EUR, DKK.
hint-language = Two-letter ISO 639-1 code, e.g. de, da, en.
hint-end-date = Leave empty while the programme runs.
status-archived = archived
status-inactive = deactivated
status-revoked = revoked
status-one-time-password = one-time password
field-email = Email
field-password = Password
field-display-name = Name
field-role = Role
field-programmes = Programmes
field-language = Language
field-current-password = Current password
field-new-password = New password
field-confirm-password = New password again
field-user = User
field-label = Label
field-entity = Record type
field-from = From
field-to = To
hint-password = At least 12 characters. A few unusual words with spaces or dashes between them work well.
hint-roles = Managers edit programmes, districts and funding and read reports; coordinators record mothers, families and visits; trainers run courses. Administrators manage everything.
hint-programmes = The programmes whose records this user sees. Administrators see every programme.
hint-token-label = What the token is used for, e.g. “paper forms import”.

## Roles
role-admin = Administrator
role-manager = Manager
role-coordinator = Coordinator
role-trainer = Trainer

## Signing in and the account
login-title = Sign in
login-help = Forgotten your password? Ask your programme's administrator to reset it.
login-failed = The email or the password is wrong.
login-locked = Too many failed sign-ins. For your safety, signing in is blocked for { $minutes } minutes.
account-title = Your account
account-must-change = You signed in with a one-time password. Please choose your own password now.
account-password-title = Change your password
account-language-title = Language
language-browser = As in my browser

## Administration
users-title = Users
user-new = New user
user-last-login = Last sign-in
user-manage = Password and access
user-reset-hint = Resetting gives the user a new one-time password, ends their sessions, and they must choose a new password at the next sign-in.
user-deactivate-hint = A deactivated user cannot sign in; their sessions and API tokens stop at once. Their records stay.
user-created-title = User created
password-reset-title = Password reset
one-time-password-explanation = This one-time password is shown only now. Give it to the user in person or by phone; they must choose their own password when they sign in.
programmes-all = all
tokens-title = API tokens
tokens-intro = A token lets a program use the JSON API with the rights of one user, without a password. Send it as “Authorization: Bearer <token>”.
tokens-empty = No API tokens yet.
token-new = New token
token-created = Created
token-last-used = Last used
token-created-title = API token created
token-explanation = This token is shown only now: copy it into the program that uses it. Revoke it here when it is no longer needed.
audit-title = Audit log
audit-count = { $count } entries
audit-empty = No entries match these filters.
audit-when = When
audit-action = Action
audit-changes = Changes
audit-system = system
filter-any = any
entity-programme = Programme
entity-district = District
entity-user = User
entity-api_token = API token
pager-label = Pages
pager-previous = Previous
pager-next = Next

## Programmes
programmes-title = Programmes
programmes-empty = No programmes yet. Create the first one to start recording districts, mothers and visits.
programmes-show-archived = Show archived programmes
programmes-hide-archived = Hide archived programmes
programme-new = New programme
programme-edit-title = Edit { $name }
programme-period = Period
programme-ongoing = ongoing
programme-manage = Archive or delete
programme-manage-archive = Archive
programme-archive-hint = Archiving takes the programme out of the lists and keeps all its records and figures.
programme-delete-hint = A programme without any records can be deleted for good.

## Districts
districts-title = Districts
districts-empty = No districts yet.
district-new = New district
district-edit-title = Rename { $name }

## Validation and errors
form-has-errors = Please correct the fields marked below.
error-required = Please fill in this field.
error-too-long = This is too long.
error-date-invalid = Enter a date as YYYY-MM-DD.
error-end-before-start = The end date is before the start date.
error-country-unknown = Unknown country code: use the two-letter ISO 3166 code (e.g. DE).
error-currency-unknown = Unknown currency code: use the three-letter ISO 4217 code (e.g. EUR).
error-language-unknown = Unknown language code: use the two-letter ISO 639-1 code (e.g. de).
error-programme-name-taken = Another programme already has this name.
error-district-name-taken = This programme already has a district with this name.
error-email-invalid = Enter an email address like name@example.org.
error-email-taken = Another user already has this email address.
error-role-unknown = Choose one of the roles.
error-programme-unknown = Unknown programme.
error-programmes-required = Choose at least one programme.
error-own-role = You cannot take away your own administrator role.
error-user-unknown = Choose a user.
error-password-too-short = The password needs at least 12 characters.
error-password-common = This password is too common or easy to guess. Try a few unusual words together.
error-password-wrong = This is not your current password.
error-password-mismatch = The two new passwords differ.
error-csrf = This form has expired or did not come from this site. Please reload the page and try again.
error-password-change-required = Please change your one-time password first.
error-programme-has-data = This programme holds data and cannot be deleted; archive it instead.
error-validation = Some fields are not valid.
error-bad-request = The request could not be read.
error-unauthenticated = Please sign in.
error-forbidden = You may not do this.
error-not-found = This page or record does not exist, or you may not see it.
error-method-not-allowed = This address does not accept this kind of request.
error-database-unavailable = The database is not answering. Please try again in a moment.
error-internal = Something went wrong on our side. It has been logged.
error-request-id = Reference for support: { $id }
error-back-home = Back to the start page
