"""duluan — theo dõi dư luận báo chí về tỉnh; press monitoring and rebuttal for Vietnamese provinces."""

__version__ = "0.1.0"
