import factory

from bpp.webhooks.models import SUBSCRIBABLE, Endpoint, new_secret
from tests.people.factories import OrganisationFactory


class EndpointFactory(factory.django.DjangoModelFactory):
    """An active endpoint of `organisation` listening to every event."""

    class Meta:
        model = Endpoint

    organisation = factory.SubFactory(OrganisationFactory)
    url = "https://rh.example.fr/webhooks"
    events = factory.LazyFunction(lambda: [value for value, _ in SUBSCRIBABLE])
    secret = factory.LazyFunction(new_secret)
