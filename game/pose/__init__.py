"""Skeleton data, angles and the pose estimator (only mediapipe_estimator imports mediapipe)."""
