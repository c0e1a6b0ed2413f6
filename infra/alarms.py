"""Alarms on what needs a person, and the topic that mails them."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.logical_ids import Concern
from infra.nag import acknowledge
from infra.rendering import WORKER_TIMEOUT_S, Rendering

# Alarms look at 5-minute periods. A render that takes 80 % of the timeout is near the
# watchdog's cut (WATCHDOG_MARGIN_S before it): the audio is close to what the function's size
# can render at all.
ALARM_PERIOD = cdk.Duration.minutes(5)
SLOW_RENDER_S = 0.8 * WORKER_TIMEOUT_S
# A few retried errors (S3 SlowDown, a throttled write) are the platform working as meant.
WORKER_ERRORS_PER_PERIOD = 5
# Throttles are expected while a burst of uploads exceeds the reserved concurrency: S3's
# asynchronous invocations wait and are retried for up to 6 hours. Throttling through three
# periods in a row means the queue is not draining.
THROTTLED_PERIODS = 3


class Alarms(Concern):
    """Lost renders, failing, starved or slow workers, on an SNS topic (mailed to
    ``alarm_email`` when given)."""

    def __init__(
        self, scope: Construct, construct_id: str, *, rendering: Rendering, alarm_email: str | None
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = self._topic(alarm_email)
        alarms = self._alarms(rendering)
        # The topic's policy (from enforce_ssl) would hold only the deny of plain HTTP: CloudWatch
        # may publish, for these alarms of this account only.
        stack = cdk.Stack.of(self)
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={
                    "ArnLike": {"aws:SourceArn": [alarm.alarm_arn for alarm in alarms]},
                    "StringEquals": {"aws:SourceAccount": stack.account},
                },
            )
        )

    def _topic(self, alarm_email: str | None) -> sns.Topic:
        topic = sns.Topic(self, "Alarms", display_name="Sonagram alarms", enforce_ssl=True)
        acknowledge(
            topic,
            "AwsSolutions-SNS2",
            reason="The topic carries alarm state changes only (alarm name, metric, threshold), "
            "no recording or user data; CloudWatch cannot publish to a topic encrypted with the "
            "AWS-managed key, and a customer key would cost more than the rest of an idle stage",
        )
        if alarm_email:
            topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
            acknowledge(
                topic,
                "Serverless-SNSRedrivePolicy",
                reason="An email the mail server refuses has nowhere more useful to go: the "
                "alarm itself stays in ALARM, visible in the CloudWatch console",
            )
        return topic

    def _alarms(self, rendering: Rendering) -> list[cloudwatch.Alarm]:
        worker, failures = rendering.worker, rendering.failures
        alarms = []
        for construct_id, metric, threshold, periods, description in (
            (
                "WorkerFailuresAlarm",
                failures.metric_approximate_number_of_messages_visible(
                    period=ALARM_PERIOD, statistic="Maximum"
                ),
                1,
                1,
                "An upload's event failed every retry and waits in the WorkerFailures queue: "
                "its spectrogram was not rendered",
            ),
            (
                "WorkerErrorsAlarm",
                worker.metric_errors(period=ALARM_PERIOD, statistic="Sum"),
                WORKER_ERRORS_PER_PERIOD,
                1,
                f"The spectrogram worker raised {WORKER_ERRORS_PER_PERIOD} or more errors in 5 "
                "minutes (each is retried; the failure queue alarm says when one is lost)",
            ),
            (
                "WorkerThrottlesAlarm",
                worker.metric_throttles(period=ALARM_PERIOD, statistic="Sum"),
                1,
                THROTTLED_PERIODS,
                "The spectrogram worker has been throttled for 15 minutes: uploads arrive "
                "faster than its reserved concurrency renders them",
            ),
            (
                "WorkerDurationAlarm",
                worker.metric_duration(period=ALARM_PERIOD, statistic="Maximum"),
                SLOW_RENDER_S * 1000,
                1,
                f"A render took over {SLOW_RENDER_S:.0f} s of the worker's {WORKER_TIMEOUT_S} s "
                "timeout: longer audio may soon fail with the watchdog's message",
            ),
        ):
            alarm = cloudwatch.Alarm(
                self,
                construct_id,
                metric=metric,
                threshold=threshold,
                evaluation_periods=periods,
                datapoints_to_alarm=periods,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                alarm_description=description,
            )
            alarm.add_alarm_action(cloudwatch_actions.SnsAction(self.topic))
            alarm.add_ok_action(cloudwatch_actions.SnsAction(self.topic))
            alarms.append(alarm)
        return alarms
