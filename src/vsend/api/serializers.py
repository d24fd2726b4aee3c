from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vsend.accounts.models import Membership, User
from vsend.children.models import Child, Enrolment
from vsend.children.selectors import current_enrolment
from vsend.children.services import DETAIL_FIELDS


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organisation = serializers.SerializerMethodField()
    organisation_id = serializers.SerializerMethodField()
    organisation_type = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["role", "organisation", "organisation_id", "organisation_type"]

    def get_organisation(self, m: Membership) -> str:
        return str(m.organisation)

    def get_organisation_id(self, m: Membership) -> int | None:
        return m.setting_id or m.authority_id

    def get_organisation_type(self, m: Membership) -> str:
        return "setting" if m.setting_id else "local_authority" if m.authority_id else "platform"


class MeSerializer(serializers.ModelSerializer[User]):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "memberships"]

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user: User) -> list[dict[str, object]]:
        return MembershipSerializer(user.active_memberships(), many=True).data  # type: ignore[return-value]


class EnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    setting_id = serializers.IntegerField()
    setting = serializers.CharField(source="setting.name")
    year_group = serializers.CharField(source="year_group.name", allow_null=True, default=None)
    school_class = serializers.CharField(source="school_class.name", allow_null=True, default=None)

    class Meta:
        model = Enrolment
        fields = ["setting_id", "setting", "year_group", "school_class", "started_on", "ended_on"]


class ChildSerializer(serializers.ModelSerializer[Child]):
    current_enrolment = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = ["id", *DETAIL_FIELDS, "current_enrolment"]

    @extend_schema_field(EnrolmentSerializer(allow_null=True))
    def get_current_enrolment(self, child: Child) -> EnrolmentSerializer | None:
        enrolment = current_enrolment(child)
        return EnrolmentSerializer(enrolment).data if enrolment else None  # type: ignore[return-value]


class ChildDetailSerializer(ChildSerializer):
    enrolments = EnrolmentSerializer(many=True, read_only=True)
    version = serializers.IntegerField()

    class Meta(ChildSerializer.Meta):
        fields = [*ChildSerializer.Meta.fields, "enrolments", "version"]
