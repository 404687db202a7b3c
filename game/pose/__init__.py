"""Skeleton data, angles, pointing by hand, keypoint layouts, and the estimator seam: the
PoseEstimator protocol and the factory that makes every estimator (only mediapipe_estimator
imports mediapipe)."""
