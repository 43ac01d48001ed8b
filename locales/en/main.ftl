# English: the reference language. Every user-facing string lives here.

## Layout
app-name = Neighbourhood Mothers
skip-to-content = Skip to content
nav-label = Main
nav-programmes = Programmes
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

## Actions
action-save = Save
action-cancel = Cancel
action-edit = Edit
action-rename = Rename
action-add = Add
action-archive = Archive
action-restore = Restore
action-delete = Delete

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
