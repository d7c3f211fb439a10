public enum LoupeVisionModule {}
