// The local Slack sink doubles as the tests' Slack: one implementation of "answers like Slack".
export { type SlackCall, startSlackSink } from '../../local/slack-sink';
