/** CodePipeline's documented approval notification (codepipeline/latest/userguide/approvals-json-format.html). */
export const documentedNotification = {
  region: 'us-east-2',
  consoleLink: 'https://console.aws.amazon.com/codepipeline/home?region=us-east-2#/view/MyFirstPipeline',
  approval: {
    pipelineName: 'MyFirstPipeline',
    stageName: 'MyApprovalStage',
    actionName: 'MyApprovalAction',
    token: '1a2b3c4d-573f-4ea7-a67E-XAMPLETOKEN',
    expires: '2016-07-07T20:22Z',
    externalEntityLink: 'http://example.com',
    approvalReviewLink:
      'https://console.aws.amazon.com/codepipeline/home?region=us-east-2#/view/MyFirstPipeline/MyApprovalStage/MyApprovalAction/approve/1a2b3c4d-573f-4ea7-a67E-XAMPLETOKEN',
    customData: 'Review the latest changes and approve or reject within seven days.',
  },
};

export const snsEvent = (message: string) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-2:111122223333:ApprovalTopic:sub',
      Sns: {
        Type: 'Notification',
        MessageId: 'm-1',
        TopicArn: 'arn:aws:sns:us-east-2:111122223333:ApprovalTopic',
        Subject: 'APPROVAL NEEDED',
        Message: message,
        Timestamp: '2016-06-30T20:22:00.000Z',
      },
    },
  ],
});
