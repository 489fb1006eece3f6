import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='modèle du message')),
                ('subject', models.TextField(verbose_name='objet')),
                ('text', models.TextField(verbose_name='texte')),
                ('url', models.TextField(blank=True, verbose_name='lien')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyée le')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='lue le')),
                ('recipient', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='destinataire')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-sent_at', '-pk'],
                'indexes': [models.Index(fields=['recipient', '-sent_at'], name='notification_inbox'), models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='notification_unread'), models.Index(fields=['sent_at'], name='notification_sent_at')],
            },
        ),
    ]
