"""Back-office for the activity registries, scoped to the user's centres."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from oppdrag.core.admin import TenantAdmin, TenantInline

from . import models as m

ACTIVITY_FILTERS = ["year", "assignments", "focus_areas"]


class OrganizerInline(TenantInline):
    model = m.EventOrganizer
    extra = 0
    autocomplete_fields = ["organization"]


class PresentationContributorInline(TenantInline):
    model = m.PresentationContributor
    extra = 0
    autocomplete_fields = ["person"]


class OpEdAuthorInline(TenantInline):
    model = m.OpEdAuthor
    extra = 0
    autocomplete_fields = ["person"]


class PublicationContributorInline(TenantInline):
    model = m.PublicationContributor
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(m.EventSeries)
class EventSeriesAdmin(TenantAdmin):
    list_display = ["name", "year", "unique_participants", "teams"]
    list_filter = ["year"]
    search_fields = ["name", "description"]


@admin.register(m.Event)
class EventAdmin(TenantAdmin):
    list_display = ["title", "theme", "participants", "scope", "format", "date_start", "year"]
    list_filter = [*ACTIVITY_FILTERS, "format", "scope", "regions", "theme"]
    search_fields = ["title", "theme", "audience", "ref"]
    filter_horizontal = ["assignments", "focus_areas", "regions"]
    autocomplete_fields = ["series", "municipalities", "districts"]
    inlines = [OrganizerInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "center",
                    "year",
                    "ref",
                    "theme",
                    "title",
                    "participants",
                    "scope",
                    "format",
                    "audience",
                    ("date_start", "date_end"),
                    "series",
                ]
            },
        ),
        (_("Medvirkning"), {"fields": ["target_group_involved", "users_involved"]}),
        (
            _("Oppdrag og nedslagsfelt"),
            {"fields": ["assignments", "focus_areas", "regions", "municipalities", "districts"]},
        ),
    ]


@admin.register(m.Presentation)
class PresentationAdmin(TenantAdmin):
    list_display = ["title", "date", "kind", "year"]
    list_filter = [*ACTIVITY_FILTERS, "kind"]
    search_fields = ["title", "contributors__name", "ref"]
    filter_horizontal = ["assignments", "focus_areas"]
    inlines = [PresentationContributorInline]


@admin.register(m.OpEd)
class OpEdAdmin(TenantAdmin):
    list_display = ["title", "kind", "outlet", "date", "year"]
    list_filter = [*ACTIVITY_FILTERS, "kind"]
    search_fields = ["title", "outlet", "authors__name"]
    filter_horizontal = ["assignments", "focus_areas"]
    inlines = [OpEdAuthorInline]


@admin.register(m.ConsultationResponse)
class ConsultationResponseAdmin(TenantAdmin):
    list_display = ["title", "date", "year"]
    list_filter = ACTIVITY_FILTERS
    search_fields = ["title"]
    filter_horizontal = ["assignments", "focus_areas"]


@admin.register(m.Publication)
class PublicationAdmin(TenantAdmin):
    list_display = ["title", "kind", "year", "nva_id"]
    list_filter = [*ACTIVITY_FILTERS, "kind"]
    search_fields = ["title", "contributors__name", "nva_id"]
    filter_horizontal = ["assignments", "focus_areas"]
    inlines = [PublicationContributorInline]


@admin.register(m.MediaAppearance)
class MediaAppearanceAdmin(TenantAdmin):
    list_display = ["title", "person", "outlet", "date", "year"]
    list_filter = ACTIVITY_FILTERS
    list_select_related = ["center", "person"]
    search_fields = ["title", "outlet", "person__name"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["assignments", "focus_areas"]


class GroupMeetingInline(TenantInline):
    model = m.GroupMeeting
    extra = 0
    fields = ["date", "format", "participants"]


@admin.register(m.Group)
class GroupAdmin(TenantAdmin):
    list_display = ["name", "kind", "role", "year"]
    list_filter = [*ACTIVITY_FILTERS, "kind", "role"]
    search_fields = ["name", "description"]
    filter_horizontal = ["assignments", "focus_areas", "shared_with"]
    inlines = [GroupMeetingInline]


@admin.register(m.WebArticle)
class WebArticleAdmin(TenantAdmin):
    list_display = ["title", "category", "date", "visits", "year"]
    list_filter = [*ACTIVITY_FILTERS, "category"]
    search_fields = ["title"]
    filter_horizontal = ["assignments", "focus_areas"]


@admin.register(m.TopicPage)
class TopicPageAdmin(TenantAdmin):
    list_display = ["name", "url"]
    search_fields = ["name"]


@admin.register(m.TopicPageVisits)
class TopicPageVisitsAdmin(TenantAdmin):
    list_display = ["page", "year", "visits"]
    list_filter = ["year"]
    list_select_related = ["center", "page"]
    search_fields = ["page__name"]


@admin.register(m.AdviceRequest)
class AdviceRequestAdmin(TenantAdmin):
    list_display = ["topic", "channel", "municipality", "date", "year"]
    list_filter = [*ACTIVITY_FILTERS, "channel"]
    list_select_related = ["center", "municipality"]
    search_fields = ["topic", "team"]
    autocomplete_fields = ["municipality", "district", "organization"]
    filter_horizontal = ["assignments", "focus_areas"]


@admin.register(m.PublishedFigure)
class PublishedFigureAdmin(TenantAdmin):
    list_display = ["key", "year", "qualifier", "value", "source"]
    list_filter = ["year"]
    search_fields = ["key", "source"]
